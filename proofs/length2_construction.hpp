#pragma once
// Thm 3.3 made explicit: hand-set weights of a dense one-layer model of width |V| (H = 1) that decides
// length-2 path on every input, run through the real OneLayer forward pass.
//
// Input: the length-2 format of graphs/encode.hpp (one token per arc at s or d, EMPTY, QUERY last).
//   embedding: arc (s,v) -> e_v, arc (v,d) -> e_v, EMPTY and QUERY -> 0           (m = |V|)
//   Q = K = 0: attention is uniform, 1/N on every position; V = I
//   so z_v = (1[(s,v) in E] + 1[(v,d) in E]) / N
//   psi(z) = sum_v ReLU(N z_v - 1.5): positive iff some v has both arcs (hidden width |V|, W = N I,
//   b = -1.5, u = 1). A bias of -1 separates the answers too; -1.5 keeps a margin of 0.5 on both sides, so rounding
//   N * (1/N) to 0.9999999 or 1.0000001 cannot flip an answer.
#include <memory>

#include "models/one_layer.hpp"

namespace moesim::proofs {

// The model for graphs on n vertices, in double.
std::unique_ptr<models::OneLayer<double>> dense_length2_model(models::Backend<double>& backend, int vertices);

struct CheckResult {
  long instances = 0;
  long wrong = 0;
  bool ok() const { return instances > 0 && wrong == 0; }
};

// Every pair of subsets (a, b) of the inner vertices: 4^(n-2) instances (n <= 12).
CheckResult check_dense_length2_exhaustive(models::Backend<double>& backend, int vertices);
// `count` random instances (each arc at s or d present with probability 1/2).
CheckResult check_dense_length2_random(models::Backend<double>& backend, int vertices, int count, uint64_t seed);

}  // namespace moesim::proofs
