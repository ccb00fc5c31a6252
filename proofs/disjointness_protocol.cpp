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

ProtocolRun run_protocol(models::OneLayer<double>& model, const graphs::Instance& inst, int mantissa_bits) {
  const auto& c = model.config();
  const int n = inst.nodes, inner = n - 2;
  const graphs::Length2Vocab voc{n};
  if (c.vocab != voc.size()) throw std::invalid_argument("the model's vocabulary is not the length-2 format's");
  const std::vector<int> tokens = graphs::encode_length2(inst);  // (N,)
  const int N = int(tokens.size()), m = c.m, H = c.heads, Z = c.z_dim();

  ProtocolRun run;
  model.forward(tokens.data(), nullptr, nullptr, 1, N);
  run.model_output = model.outputs()[0];

  auto& store = model.store();
  const auto p = store.download(store.params());
  const auto w = models::one_layer_tensors(c, p.data());
  // phi_i Q|K|V restricted to head h: (m,) from phi (m,) and a (m, Z) map
  auto project = [&](const models::TensorRef<const double>& map, int token, int h, std::vector<double>& out) {
    out.assign(m, 0.0);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) out[j] += w.embed(token, i) * map(i, h * m + j);
  };
  // One party's part of head h's softmax sums over `positions`: numerator (m,) then denominator.
  auto partial = [&](int h, const std::vector<double>& q, const std::vector<int>& positions) {
    std::vector<double> part(m + 1, 0.0), k, v;
    for (int i : positions) {
      project(w.K, tokens[i], h, k);
      project(w.V, tokens[i], h, v);
      double score = 0;
      for (int j = 0; j < m; ++j) score += q[j] * k[j];
      const double w = std::exp(score);
      for (int j = 0; j < m; ++j) part[j] += w * v[j];
      part[m] += w;
    }
    return part;
  };
  std::vector<int> alice(inner), bob(inner), fixed{N - 1};
  for (int i = 0; i < inner; ++i) alice[i] = i, bob[i] = inner + i;

  std::vector<double> z(Z);  // Bob's reconstruction of the concatenated heads
  for (int h = 0; h < H; ++h) {
    std::vector<double> q;
    project(w.Q, tokens[N - 1], h, q);  // the query: known to both
    auto message = partial(h, q, alice);
    if (mantissa_bits > 0)
      for (double& x : message) x = round_mantissa(x, mantissa_bits);
    const auto mine = partial(h, q, bob), shared = partial(h, q, fixed);
    const double den = message[m] + mine[m] + shared[m];
    for (int j = 0; j < m; ++j) z[h * m + j] = (message[j] + mine[j] + shared[j]) / den;
  }
  run.numbers_sent = long(H) * (m + 1);
  run.bits_sent = run.numbers_sent * (mantissa_bits > 0 ? mantissa_bits + 12 : 64);

  // Bob evaluates psi, routing included.
  const int hid = c.hidden;
  auto expert_output = [&](int e) {  // u_e^T ReLU(W_e z + b_e); the dense psi is expert 0
    double out = 0;
    for (int r = 0; r < hid; ++r) {
      double a = w.b(e, r);
      for (int j = 0; j < Z; ++j) a += w.W(e, r, j) * z[j];
      out += w.u(e, r) * std::max(a, 0.0);
    }
    return out;
  };
  if (!c.moe()) {
    run.bob_output = expert_output(0);
  } else {
    std::vector<double> logits(c.experts);
    for (int e = 0; e < c.experts; ++e)
      for (int j = 0; j < Z; ++j) logits[e] += w.router(e, j) * z[j];
    const int best = int(std::max_element(logits.begin(), logits.end()) - logits.begin());  // ties: lower
    double gate = 1.0;
    if (c.switch_gate) {
      double sum = 0;
      for (double l : logits) sum += std::exp(l - logits[best]);
      gate = 1.0 / sum;  // the softmax probability of the chosen expert
    }
    run.bob_output = gate * expert_output(best);
  }
  return run;
}

}  // namespace moesim::proofs
