#pragma once
// Thm 3.5 made explicit and run: a one-layer MoE that memorises arbitrary labels of n Gaussian
// sequences, with weights set by hand and by linear solves, checked through the real OneLayer forward.
//
//   embedding W_in = I, Q = K = 0 (uniform attention), V = I, H = 1: z = the mean of the sequence (m,)
//   router: K random Gaussian directions, hard argmax: each expert gets the samples whose z points its way
//   expert e: one ReLU neuron per sample, pointing at it (w = z_i, b = -|z_i|^2/2), and output weights
//   u_e solved exactly (Eigen, column-pivoting QR) so that u_e^T ReLU(W_e z_i + b_e) = y_i on its samples.
//
// The experts interpolate with one neuron per sample, so an expert holds ~(n/K)(m+2) parameters where
// the theorem's construction (neurons that each memorise ~m samples) needs ~n/K: the counts are reported
// beside the theorem's formula (proofs/bounds.hpp), not in place of it.
#include <cstdint>

#include "models/backend.hpp"
#include "proofs/bounds.hpp"

namespace moesim::proofs {

struct MemorizationRun {
  long samples = 0, memorized = 0;  // sign(f(X_i)) = y_i for `memorized` of the `samples`
  int experts = 0, width = 0;
  long max_load = 0;                // samples routed to the busiest expert
  long active_params = 0;           // router + the busiest expert's used neurons
  long total_params = 0;            // router + every expert's used neurons
  MemorizationCounts theorem;       // Thm 3.5's counts at the same (n, K, m)
  bool ok() const { return samples > 0 && memorized == samples; }
};

// n sequences of N tokens in R^m with N(0,1) entries and random ±1 labels, from `seed`.
MemorizationRun memorize_gaussian(models::Backend<double>& backend, int n, int N, int m, int experts, uint64_t seed);

}  // namespace moesim::proofs
