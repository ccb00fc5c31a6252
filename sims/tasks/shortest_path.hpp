#pragma once
// Shortest path on directed G(n, p) (REFERENCE.md §4, graphs/encode.hpp's sequence format): `train` and
// `test` instances from disjoint random streams of `seed`; the model generates the path and its EOS.
#include <cstdint>

#include "tasks/sequence_data.hpp"

namespace moesim::sims {

SequenceData make_shortest_path(int nodes, double p, int train, int test, uint64_t seed);

// The share of examples whose path is one hop: answering "s t EOS" (the query's own ends) scores exactly
// this in exact match.
double one_hop_share(const std::vector<SequenceExample>& examples);

}  // namespace moesim::sims
