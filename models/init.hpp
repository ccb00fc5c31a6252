#pragma once
// Weight initialisation from a counter-based generator: element i of tensor `tensor` gets a value that
// depends only on (seed, tensor, i), so any backend or thread count initialises the same weights.
#include <cmath>
#include <cstdint>
#include <vector>

namespace moesim::models {

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// N(0, 1) by Box–Muller from two hashed uniforms.
inline double normal_at(uint64_t seed, uint64_t tensor, uint64_t i) {
  const uint64_t a = mix64(seed ^ mix64(tensor * 0x9E3779B97F4A7C15ull + 2 * i));
  const uint64_t b = mix64(seed ^ mix64(tensor * 0x9E3779B97F4A7C15ull + 2 * i + 1));
  const double u1 = (static_cast<double>(a >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
  const double u2 = static_cast<double>(b >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

template <class T>
void fill_normal(T* out, size_t n, double std, uint64_t seed, uint64_t tensor) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(std * normal_at(seed, tensor, i));
}

}  // namespace moesim::models
