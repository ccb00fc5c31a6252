#include <catch2/catch.hpp>
#include <cmath>

#include "../gradcheck.hpp"
#include "layer_check.hpp"
#include "models/layers/attention.hpp"

using namespace moesim::models;
using namespace moesim::testing;

// Named, not anonymous: the ASan pass compiles the tests as a unity build, where anonymous namespaces merge.
namespace attention_test {

constexpr int B = 2, T = 4, d = 8, H = 2, hd = d / H;
constexpr double kBase = 100.0;  // a small RoPE base: visible rotations at these short lengths

// The textbook computation, one (batch, head, query) at a time: qkv = x W^T, RoPE on q and k (pairs
// (2i, 2i+1) rotated by t * base^(-2i/hd)), softmax(q k^T / sqrt(hd)) over the allowed keys, heads
// concatenated, out += y W_proj^T.
std::vector<double> naive(const double* x, const double* wqkv, const double* wproj, bool causal,
                          std::vector<double> out) {
  auto rotate = [](double* v, int t) {
    for (int i = 0; i < hd / 2; ++i) {
      const double a = t * std::pow(kBase, -2.0 * i / hd), c = std::cos(a), s = std::sin(a);
      const double v0 = v[2 * i], v1 = v[2 * i + 1];
      v[2 * i] = v0 * c - v1 * s, v[2 * i + 1] = v0 * s + v1 * c;
    }
  };
  std::vector<double> qkv(B * T * 3 * d, 0.0), y(B * T * d, 0.0);
  for (int r = 0; r < B * T; ++r)
    for (int j = 0; j < 3 * d; ++j)
      for (int c = 0; c < d; ++c) qkv[r * 3 * d + j] += x[r * d + c] * wqkv[j * d + c];
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < T; ++i) {
        double q[hd];
        for (int e = 0; e < hd; ++e) q[e] = qkv[(b * T + i) * 3 * d + h * hd + e];
        rotate(q, i);
        std::vector<double> score(T, -INFINITY);
        double mx = -INFINITY, sum = 0;
        for (int j = 0; j < (causal ? i + 1 : T); ++j) {
          double k[hd];
          for (int e = 0; e < hd; ++e) k[e] = qkv[(b * T + j) * 3 * d + d + h * hd + e];
          rotate(k, j);
          score[j] = 0;
          for (int e = 0; e < hd; ++e) score[j] += q[e] * k[e] / std::sqrt(double(hd));
          mx = std::max(mx, score[j]);
        }
        for (int j = 0; j < T; ++j) sum += std::exp(score[j] - mx);
        for (int j = 0; j < T; ++j)
          for (int e = 0; e < hd; ++e)
            y[(b * T + i) * d + h * hd + e] += std::exp(score[j] - mx) / sum * qkv[(b * T + j) * 3 * d + 2 * d + h * hd + e];
      }
  for (int r = 0; r < B * T; ++r)
    for (int c = 0; c < d; ++c)
      for (int j = 0; j < d; ++j) out[r * d + c] += y[r * d + j] * wproj[c * d + j];
  return out;
}

}  // namespace attention_test

TEST_CASE("attention: forward equals the textbook computation, gradients match finite differences (both paths)",
          "[models][attention]") {
  using namespace attention_test;
  auto be = make_cpu_backend<double>();
  for (int c = 0; c < 4; ++c) {  // causal or not, materialised scores or the backend's fused op
    const bool causal = c % 2 == 0, fused = c >= 2;
    DYNAMIC_SECTION((causal ? "causal" : "bidirectional") << (fused ? ", fused" : ", materialised")) {
      const AttentionShape s{B, T, d, H, causal, kBase, fused};
      Packed p;
      p.table.add("xn", {B * T, d});
      p.table.add("w_qkv", {3 * d, d});
      p.table.add("w_proj", {d, d});
      p.fill(4);
      const auto base = random_vector(B * T * d, 5), R = random_vector(B * T * d, 6);
      AttentionActs<double> acts;
      AttentionScratch<double> scratch;
      Arena<double> arena(*be);
      arena.build([&](Arena<double>& a) { acts.layout(a, s); scratch.layout(a, s); });

      auto forward = [&] {
        std::vector<double> out = base;
        attention_forward(*be, s, p.at("xn"), p.at("w_qkv"), p.at("w_proj"), acts, out.data());
        return out;
      };
      const auto out = forward();
      const auto expected = naive(p.at("xn"), p.at("w_qkv"), p.at("w_proj"), causal, base);
      for (int i = 0; i < B * T * d; ++i) REQUIRE(out[i] == Approx(expected[i]).epsilon(1e-12).margin(1e-12));

      const auto grads = p.gradients({"w_qkv", "w_proj"}, [&](std::vector<double>& g) {
        attention_backward(*be, s, R.data(), p.at("xn"), p.at("w_qkv"), p.at("w_proj"), acts, scratch,
                           p.at(g, "xn"), p.at(g, "w_qkv"), p.at(g, "w_proj"));
      });
      check_gradients(p.table, p.values, grads, [&] { return dot(R, forward()); });
    }
  }
}
