#pragma once
// Binary classification tasks for the one-layer model: fixed-length inputs (tokens or real vectors) and
// labels in {-1, +1}; the metric is accuracy of sign(output).
#include <cstdint>
#include <string>
#include <vector>

namespace moesim::sims {

struct ClassificationSet {
  int count = 0;
  std::vector<int> tokens;    // (count, N) for token tasks
  std::vector<float> x;       // (count, N, input_dim) for real-vector tasks
  std::vector<float> labels;  // (count,) in {-1, +1}
};

struct ClassificationTask {
  std::string name;
  int vocab = 0;      // token tasks
  int input_dim = 0;  // real-vector tasks
  int N = 0;          // sequence length
  ClassificationSet train, test;
};

// Length-2 path on n vertices (graphs/encode.hpp's length-2 format, N = 2(n-2)+1): balanced instances
// of G(n, p) from disjoint streams of `seed`.
ClassificationTask make_length2(int nodes, double p, int train, int test, uint64_t seed);

// Gaussian memorisation (REFERENCE.md §3): n sequences X in R^{N x dim} with N(0,1) entries and random
// labels; the test set is the training set (memorisation is measured on what was seen).
ClassificationTask make_gaussian(int n, int N, int dim, uint64_t seed);

}  // namespace moesim::sims
