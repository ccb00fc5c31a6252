#pragma once
// Length-2 path on n vertices (REFERENCE.md §2; graphs/encode.hpp's length-2 format, N = 2(n-2)+1):
// balanced instances of G(n, p) from disjoint streams of `seed`, for the one-layer model.
#include <cstdint>

#include "tasks/classification_data.hpp"

namespace moesim::sims {

ClassificationData make_length2(int nodes, double p, int train, int test, uint64_t seed);

// The best a threshold on the number of arcs can do on `set` (the threshold and its direction chosen on
// the set itself, so an upper bound on what counting arcs gives): the baseline that a model must beat to
// show it does more than count.
double arc_count_baseline(const ClassificationSet& set, int N);

}  // namespace moesim::sims
