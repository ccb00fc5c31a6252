#pragma once
// Gaussian memorisation (docs/claims.md: claim 2): n sequences X in R^{N x dim} with N(0,1) entries and random
// labels; the test set is the training set (memorisation is measured on what was seen).
#include <cstdint>

#include "tasks/classification_data.hpp"

namespace moesim::sims {

ClassificationData make_gaussian(int n, int N, int dim, uint64_t seed);

}  // namespace moesim::sims
