#pragma once
// Gaussian memorisation (docs/claims.md: claim 2): n sequences X in R^{N x dim} with N(0,1) entries and random
// labels; the test set is the training set (memorisation is measured on what was seen).
#include <cstdint>

#include "tasks/classification_data.hpp"

namespace moesim::sims {

// Sequence i: x (N, dim) row-major from models::normal_at(seed, 1, i N dim + j), and its label.
void gaussian_input(uint64_t seed, long i, int N, int dim, float* x);
bool gaussian_label(uint64_t seed, long i);

ClassificationData make_gaussian(int n, int N, int dim, uint64_t seed);

}  // namespace moesim::sims
