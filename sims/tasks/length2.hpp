#pragma once
// Length-2 path on n vertices (docs/claims.md: claim 1; graphs/encode.hpp's length-2 format, N = 2(n-2)+1)
// for the one-layer model, from one of two distributions:
//   gnp           G(n, p) graphs, redrawn until the label alternates (balanced); p defaults to
//                 sqrt(ln 2 / (n-2)), where half the graphs have a length-2 path, so redrawing stays cheap
//   disjointness  the reduction's hard instances (graphs::balanced_disjointness_instance): arc counts
//                 follow one law under both labels, so counting arcs is at chance
// Example i of a split comes from its own stream (split_seed.hpp) and is positive for even i, except in the
// fresh training stream (train-size 0), whose labels are a fair coin per example by default: there batch s
// holds examples sB .. sB+B-1, and alternating labels would make every batch exactly half positive, which
// traps training (results/pilots/moe-data). Stored sets keep alternating labels: their batches are shuffled.
#include <cstdint>
#include <string>

#include "graphs/instances.hpp"
#include "tasks/classification_data.hpp"
#include "tasks/split_seed.hpp"

namespace moesim::sims {

struct Length2Spec {
  int nodes = 8;
  bool disjointness = false;  // the distribution: the hard instances, or G(n, p)
  double p = 0;               // G(n, p)'s edge probability
};

// p at which half of the G(n, p) graphs have a length-2 path: (1 - p^2)^(n-2) = 1/2.
double balanced_gnp_p(int nodes);

// How a stream labels example i: positive for even i, or a fair coin drawn from (stream, i).
enum class Length2Labels { Alternating, Independent };

// Example i of the stream `stream_seed`.
graphs::Instance length2_instance(const Length2Spec& s, uint64_t stream_seed, uint64_t i, Length2Labels labels);
// Examples first .. first+count-1 of the stream, encoded (generated in parallel).
ClassificationSet length2_set(const Length2Spec& s, uint64_t stream_seed, uint64_t first, int count,
                              Length2Labels labels);

// The best a threshold on the number of arcs can do on `set` (the threshold and its direction chosen on
// the set itself, so an upper bound on what counting arcs gives): the baseline that a model must beat to
// show it does more than count.
double arc_count_baseline(const ClassificationSet& set, int N);

}  // namespace moesim::sims
