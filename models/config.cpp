#include "config.hpp"

#include <cmath>
#include <stdexcept>

namespace moesim::models {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

}  // namespace

void validate(const TransformerConfig& c) {
  require(c.vocab >= 2, "vocab must be >= 2");
  require(c.d >= 2, "d must be >= 2");
  require(c.layers >= 1, "layers must be >= 1");
  require(c.heads >= 1 && c.d % c.heads == 0, "heads must divide d");
  require((c.d / c.heads) % 2 == 0, "the head size d/heads must be even (RoPE rotates pairs)");
  require(c.ffn_mult >= 1, "ffn_mult must be >= 1");
  require(c.experts >= 0, "experts must be >= 0 (0 = dense)");
  require(!c.moe() || (c.top_k >= 1 && c.top_k <= c.experts), "top_k must be in [1, experts]");
  require(c.max_len >= 1, "max_len must be >= 1");
  require(c.balance_coef >= 0 && c.z_coef >= 0, "loss coefficients must be >= 0");
}

void validate(const OneLayerConfig& c) {
  require((c.vocab >= 2) != (c.input_dim >= 1), "exactly one of vocab (>= 2) and input_dim (>= 1)");
  require(c.m >= 1, "m must be >= 1");
  require(c.heads >= 1, "heads must be >= 1");
  require(c.hidden >= 1, "hidden must be >= 1");
  require(c.experts >= 0, "experts must be >= 0 (0 = dense)");
  require(c.balance_coef >= 0, "balance_coef must be >= 0");
  require(c.balance_coef == 0 || c.experts >= 2, "balance_coef needs experts >= 2 (nothing to balance otherwise)");
  require(c.masked_token == -1 || (c.vocab >= 2 && c.masked_token >= 0 && c.masked_token < c.vocab),
          "masked_token must be -1 (none) or a token id in [0, vocab) of a token model");
}

ParamCounts count_params(const OneLayerConfig& c) {
  const long m = c.m, H = c.heads, z = c.z_dim(), h = c.hidden;
  const long expert = h * z + 2 * h;  // W, b, u
  ParamCounts p;
  p.embedding = c.vocab > 0 ? long(c.vocab) * m : long(c.input_dim) * m;
  const long attention = 3 * H * m * m;
  p.non_embedding = attention + (c.moe() ? c.experts * (expert + z) : expert);
  p.active_non_embedding = attention + (c.moe() ? expert + c.experts * z : expert);
  p.total = p.embedding + p.non_embedding;
  p.active = p.embedding + p.active_non_embedding;
  return p;
}

ParamCounts count_params(const TransformerConfig& c) {
  const long d = c.d, F = c.hidden(), L = c.layers, V = c.vocab;
  const long attention = 4 * d * d + 2 * d;  // qkv, proj, two norms
  const long expert = 3 * F * d;             // w13 (2F, d) and w2 (d, F)
  const long ffn_total = c.moe() ? c.experts * expert + c.experts * d : expert;
  const long ffn_active = c.moe() ? c.top_k * expert + c.experts * d : expert;
  ParamCounts p;
  p.embedding = 2 * V * d;
  p.non_embedding = L * (attention + ffn_total) + d;  // + final norm
  p.total = p.embedding + p.non_embedding;
  p.active_non_embedding = L * (attention + ffn_active) + d;
  p.active = p.embedding + p.active_non_embedding;
  return p;
}

double matched_width(double dense_width, int experts) { return dense_width / std::sqrt(double(experts)); }

}  // namespace moesim::models
