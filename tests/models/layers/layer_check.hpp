#pragma once
// What the layer tests share: a layer's inputs and weights packed into one host buffer (named views of a
// ParamTable, so gradcheck.hpp's check applies), random fills, and the loss <R, out> that turns a layer's
// output into a scalar. The CPU backend's memory is host memory, so views are passed to layers directly.
#include <functional>
#include <initializer_list>
#include <vector>

#include "graphs/rng.hpp"
#include "models/param_table.hpp"

namespace moesim::testing {

inline std::vector<double> random_vector(size_t n, uint64_t seed, double scale = 1.0) {
  graphs::Rng rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = scale * (2 * rng.uniform() - 1);
  return v;
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// A layer's tensors in one buffer: `at(name)` points into `values` (or into any buffer of the same layout).
struct Packed {
  models::ParamTable table;
  std::vector<double> values;
  double* at(const std::string& name) { return values.data() + table[name].offset; }
  double* at(std::vector<double>& buffer, const std::string& name) { return buffer.data() + table[name].offset; }
  void fill(uint64_t seed, double scale = 1.0) { values = random_vector(table.total(), seed, scale); }

  // The gradients `backward(grads)` gives, in this layout. Weight gradients accumulate (+=): the buffer
  // starts at 0.5 and the 0.5 is taken off the `accumulating` tensors afterwards, so a backward that
  // overwrites them (or adds to the written input gradient) fails the finite-difference check.
  std::vector<double> gradients(std::initializer_list<const char*> accumulating,
                                const std::function<void(std::vector<double>&)>& backward) {
    std::vector<double> grads(table.total(), 0.5);
    backward(grads);
    for (const char* name : accumulating)
      for (size_t i = 0; i < table[name].size; ++i) at(grads, name)[i] -= 0.5;
    return grads;
  }
};

}  // namespace moesim::testing
