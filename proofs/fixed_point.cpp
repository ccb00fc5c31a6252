#include "fixed_point.hpp"

#include <cmath>
#include <stdexcept>

#include "graphs/encode.hpp"
#include "models/backend.hpp"
#include "proofs/length2_construction.hpp"

namespace moesim::proofs {

double round_fixed(double x, int b) { return std::ldexp(std::nearbyint(std::ldexp(x, b)), -b); }

double fixed_point_forward(models::OneLayer<double>& model, const std::vector<int>& tokens, int b) {
  const auto& c = model.config();
  if (c.moe() || c.vocab == 0) throw std::invalid_argument("fixed_point_forward: dense token models only");
  const int N = int(tokens.size()), m = c.m, H = c.heads, Z = c.z_dim(), h = c.hidden;
  auto& store = model.store();
  const auto p = store.download(store.params());
  const auto w = models::one_layer_tensors(c, p.data());
  auto at = [&](const models::TensorRef<const double>& t, auto... index) { return round_fixed(t(index...), b); };
  auto dot_map = [&](const models::TensorRef<const double>& map, int token, int col) {  // (phi(token) Map)[col], rounded per step
    double s = 0;
    for (int i = 0; i < m; ++i) s = round_fixed(s + round_fixed(at(w.embed, token, i) * at(map, i, col), b), b);
    return s;
  };
  std::vector<double> z(Z);
  for (int hd = 0; hd < H; ++hd) {
    std::vector<double> q(m);
    for (int j = 0; j < m; ++j) q[j] = dot_map(w.Q, tokens[N - 1], hd * m + j);
    std::vector<double> num(m, 0.0);
    double den = 0;
    for (int i = 0; i < N; ++i) {
      double score = 0;
      for (int j = 0; j < m; ++j) score = round_fixed(score + round_fixed(q[j] * dot_map(w.K, tokens[i], hd * m + j), b), b);
      const double weight = round_fixed(std::exp(score), b);
      for (int j = 0; j < m; ++j) num[j] = round_fixed(num[j] + round_fixed(weight * dot_map(w.V, tokens[i], hd * m + j), b), b);
      den = round_fixed(den + weight, b);
    }
    for (int j = 0; j < m; ++j) z[hd * m + j] = round_fixed(num[j] / den, b);
  }
  double out = 0;
  for (int r = 0; r < h; ++r) {
    double a = at(w.b, 0, r);
    for (int j = 0; j < Z; ++j) a = round_fixed(a + round_fixed(at(w.W, 0, r, j) * z[j], b), b);
    out = round_fixed(out + round_fixed(at(w.u, 0, r) * std::max(a, 0.0), b), b);
  }
  return out;
}

int smallest_fixed_point_bits(int n) {
  auto be = models::make_cpu_backend<double>();
  auto model = dense_length2_model(*be, n);
  const int inner = n - 2;
  for (int b = 1; b <= 40; ++b) {
    bool all_right = true;
    for (uint64_t code = 0; code < (uint64_t{1} << (2 * inner)) && all_right; ++code) {
      std::vector<int> a, bs;
      for (int i = 0; i < inner; ++i) {
        if (code >> i & 1) a.push_back(i + 1);
        if (code >> (inner + i) & 1) bs.push_back(i + 1);
      }
      const auto inst = graphs::disjointness_instance(n, a, bs);
      all_right = (fixed_point_forward(*model, graphs::encode_length2(inst), b) > 0) == inst.label;
    }
    if (all_right) return b;
  }
  return -1;
}

}  // namespace moesim::proofs
