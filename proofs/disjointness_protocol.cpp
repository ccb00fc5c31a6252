#include "disjointness_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "graphs/encode.hpp"

namespace moesim::proofs {

double round_mantissa(double x, int bits) {
  if (x == 0 || !std::isfinite(x)) return x;
  int e = 0;
  const double mantissa = std::frexp(x, &e);  // in [0.5, 1)
  return std::ldexp(std::nearbyint(std::ldexp(mantissa, bits)), e - bits);
}

Protocol::Protocol(models::OneLayer<double>& model, int vertices)
    : c_(model.config()), n_(vertices), N_(graphs::Length2Vocab{vertices}.length()), H_(c_.heads), m_(c_.m),
      params_(model.store().download(model.store().params())),
      w_(models::one_layer_tensors(c_, static_cast<const double*>(params_.data()))) {
  if (c_.vocab != graphs::Length2Vocab{vertices}.size())
    throw std::invalid_argument("the model's vocabulary is not the length-2 format's");
  const int m = m_;
  // phi(token) Q|K|V restricted to head h: (m,) from phi (m,) and a (m, Z) map
  auto project = [&](const models::TensorRef<const double>& map, int token, int h, std::vector<double>& out) {
    out.assign(m, 0.0);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) out[j] += w_.embed(token, i) * map(i, h * m + j);
  };
  weight_.resize(size_t(c_.vocab) * H_);
  value_.resize(size_t(c_.vocab) * H_ * m);
  std::vector<double> q, k, v;
  for (int h = 0; h < H_; ++h) {
    project(w_.Q, graphs::Length2Vocab::query, h, q);  // the query: known to both
    for (int token = 0; token < c_.vocab; ++token) {
      project(w_.K, token, h, k);
      project(w_.V, token, h, v);
      double score = 0;
      for (int j = 0; j < m; ++j) score += q[j] * k[j];
      weight_[size_t(token) * H_ + h] = token == c_.masked_token ? 0.0 : std::exp(score);  // out of the sums
      std::copy(v.begin(), v.end(), value_.begin() + (size_t(token) * H_ + h) * m);
    }
  }
  query_ = share({graphs::Length2Vocab::query}, 0, 1);
}

std::vector<double> Protocol::share(const std::vector<int>& tokens, int from, int to) const {
  std::vector<double> part(size_t(H_) * (m_ + 1), 0.0);
  for (int h = 0; h < H_; ++h) {
    double* out = part.data() + size_t(h) * (m_ + 1);
    for (int i = from; i < to; ++i) {
      const double w = weight_[size_t(tokens[i]) * H_ + h];
      const double* v = value_.data() + (size_t(tokens[i]) * H_ + h) * m_;
      for (int j = 0; j < m_; ++j) out[j] += w * v[j];
      out[m_] += w;
    }
  }
  return part;
}

std::vector<double> Protocol::alice(const graphs::Instance& inst, int mantissa_bits) const {
  auto message = share(graphs::encode_length2(inst), 0, n_ - 2);  // positions A
  if (mantissa_bits > 0)
    for (double& x : message) x = round_mantissa(x, mantissa_bits);
  return message;
}

std::vector<double> Protocol::bob_positions(const graphs::Instance& inst) const {
  return share(graphs::encode_length2(inst), n_ - 2, 2 * (n_ - 2));  // positions B
}

std::vector<double> Protocol::bob(const graphs::Instance& inst) const {
  auto mine = bob_positions(inst);
  for (size_t i = 0; i < mine.size(); ++i) mine[i] += query_[i];
  return mine;
}

double Protocol::finish(const std::vector<double>& sums) const {
  const int m = m_, Z = c_.z_dim(), hid = c_.hidden;
  std::vector<double> z(Z);  // Bob's reconstruction of the concatenated heads
  for (int h = 0; h < H_; ++h) {
    const double* s = sums.data() + size_t(h) * (m + 1);
    for (int j = 0; j < m; ++j) z[h * m + j] = s[j] / s[m];
  }
  auto expert_output = [&](int e) {  // u_e^T ReLU(W_e z + b_e); the dense psi is expert 0
    double out = 0;
    for (int r = 0; r < hid; ++r) {
      double a = w_.b(e, r);
      for (int j = 0; j < Z; ++j) a += w_.W(e, r, j) * z[j];
      out += w_.u(e, r) * std::max(a, 0.0);
    }
    return out;
  };
  if (!c_.moe()) return expert_output(0);
  std::vector<double> logits(c_.experts);
  for (int e = 0; e < c_.experts; ++e)
    for (int j = 0; j < Z; ++j) logits[e] += w_.router(e, j) * z[j];
  const int best = int(std::max_element(logits.begin(), logits.end()) - logits.begin());  // ties: lower
  double gate = 1.0;
  if (c_.switch_gate) {
    double sum = 0;
    for (double l : logits) sum += std::exp(l - logits[best]);
    gate = 1.0 / sum;  // the softmax probability of the chosen expert
  }
  return gate * expert_output(best);
}

ProtocolRun run_protocol(models::OneLayer<double>& model, const graphs::Instance& inst, int mantissa_bits) {
  const Protocol protocol(model, inst.nodes);
  const std::vector<int> tokens = graphs::encode_length2(inst);  // (N,)
  ProtocolRun run;
  model.forward(tokens.data(), nullptr, nullptr, 1, int(tokens.size()));
  run.model_output = model.outputs()[0];
  auto sums = protocol.alice(inst, mantissa_bits);
  const auto mine = protocol.bob_positions(inst);
  for (size_t i = 0; i < sums.size(); ++i) sums[i] = sums[i] + mine[i] + protocol.query_share()[i];
  run.bob_output = protocol.finish(sums);
  run.numbers_sent = protocol.numbers();
  run.bits_sent = run.numbers_sent * (mantissa_bits > 0 ? mantissa_bits + 12 : 64);
  return run;
}

}  // namespace moesim::proofs
