#pragma once
// Thm 3.5 made explicit and run: a one-layer MoE that memorises arbitrary labels of n Gaussian
// sequences, with weights set by hand and by small linear solves, checked through the real OneLayer
// forward pass.
//
//   embedding W_in = I, Q = K = 0 (uniform attention), V = I, H = 1: z = the mean of the sequence (m,)
//   router: K unit vectors at equal angles in the plane of z's first two coordinates; z is isotropic,
//     so its angle there is uniform and each expert's sector receives n/K samples in expectation
//   expert e (after Baum's construction): a constant neuron (w = 0, b = 1) outputs the majority label of
//     the expert's samples; the minority samples are cut into groups of m; each group's m points lie on
//     one hyperplane w.z = 1 (an m x m solve), and three neurons on that hyperplane, with biases -1+eps,
//     -1, -1-eps, form a bump of height 2 that is zero beyond distance eps of it. eps is half the smallest
//     |w.z - 1| over the expert's other samples, so a bump flips its group's samples and no others.
//
// So an expert holds 3*ceil(minority/m) + 1 neurons, ~1.5 n/(K m): each neuron memorises ~m samples as
// in the theorem, and active parameters ~ K m + 1.5 n/K, i.e. O(sqrt(n m)) at K = sqrt(n/m).
#include <cstdint>

#include "models/backend.hpp"
#include "proofs/bounds.hpp"

namespace moesim::proofs {

struct MemorizationRun {
  long samples = 0, memorized = 0;  // sign(f(X_i)) = y_i for `memorized` of the `samples`
  int experts = 0, width = 0;
  long max_load = 0;                // samples routed to the busiest expert
  int hidden = 0;                   // neurons of the largest expert
  long active_params = 0;           // router + the largest expert's used neurons
  long total_params = 0;            // router + every expert's used neurons
  MemorizationCounts theorem;       // Thm 3.5's counts at the same (n, K, m)
  bool ok() const { return samples > 0 && memorized == samples; }
};

// n sequences of N tokens in R^m with N(0,1) entries and random ±1 labels, from `seed`.
MemorizationRun memorize_gaussian(models::Backend<double>& backend, int n, int N, int m, int experts, uint64_t seed);

}  // namespace moesim::proofs
