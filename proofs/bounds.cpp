#include "bounds.hpp"

#include <cmath>

namespace moesim::proofs {

double moe_width_lower_bound(int vertices, int seq_len, double c) { return c * vertices / std::log2(double(seq_len)); }

double protocol_width_lower_bound(int vertices, int heads, int bits) {
  return double(vertices - 2) / (double(heads) * bits) - 1.0;
}

long protocol_bits(int heads, int width, int bits) { return long(heads) * (width + 1) * bits; }

int dense_width_upper_bound(int vertices) { return vertices; }

long breaking_expert_count(int seq_len, int heads, double c) {
  const double root = heads * std::log2(double(seq_len)) / c;
  return long(std::floor(root * root)) + 1;  // the smallest K with K > root^2
}

MemorizationCounts moe_memorization_params(long samples, int experts, int z_dim) {
  const long per_expert = long(experts) * z_dim;
  const long neurons = (samples + per_expert - 1) / per_expert;
  const long expert = neurons * (long(z_dim) + 2);
  const long router = long(experts) * z_dim;
  return {router + expert, router + experts * expert};
}

double dense_memorization_lower_bound(long samples, double bits_per_param) { return double(samples) / bits_per_param; }

}  // namespace moesim::proofs
