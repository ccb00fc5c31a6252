#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "../gradcheck.hpp"
#include "layer_check.hpp"
#include "models/layers/moe_ffn.hpp"

using namespace moesim::models;
using namespace moesim::testing;

// Named, not anonymous: the ASan pass compiles the tests as a unity build, where anonymous namespaces merge.
namespace moe_test {

constexpr int n = 7, d = 4, F = 3, E = 4;
constexpr double kBalance = 0.01, kZ = 0.001;

struct Reference {
  std::vector<double> out;
  double aux = 0;
};

// Token by token: router softmax, the k most probable experts (distinct random probabilities: no ties),
// gate weights per `gate`, out += sum_j w_j SwiGLU_{e_j}(x); the Switch balancing loss
// coef E/k sum_e f_e P_e and the z-loss coef mean_t logsumexp^2 (under every gate).
Reference naive(const double* x, const double* router, const double* w13, const double* w2, int k, Gate gate,
                std::vector<double> out) {
  std::vector<double> f(E, 0.0), P(E, 0.0);
  double z = 0;
  for (int t = 0; t < n; ++t) {
    const double* xt = x + t * d;
    std::vector<double> p(E);
    for (int e = 0; e < E; ++e) p[e] = std::inner_product(xt, xt + d, router + e * d, 0.0);
    const double mx = *std::max_element(p.begin(), p.end());
    double sum = 0;
    for (double& v : p) sum += (v = std::exp(v - mx));
    z += std::pow(mx + std::log(sum), 2);
    for (double& v : p) v /= sum;
    std::vector<int> order(E);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b]; });
    double chosen = 0;
    for (int j = 0; j < k; ++j) chosen += p[order[j]], f[order[j]] += 1.0 / n;
    for (int e = 0; e < E; ++e) P[e] += p[e] / n;
    for (int j = 0; j < k; ++j) {
      const int e = order[j];
      const double w = gate == Gate::Hard ? 1.0 : gate == Gate::Probability ? p[e] : p[e] / chosen;
      for (int h = 0; h < F; ++h) {
        const double* w1 = w13 + (e * 2 * F + h) * d;
        const double* w3 = w13 + (e * 2 * F + F + h) * d;
        const double h1 = std::inner_product(xt, xt + d, w1, 0.0), h3 = std::inner_product(xt, xt + d, w3, 0.0);
        const double g = h1 / (1 + std::exp(-h1)) * h3;
        for (int c = 0; c < d; ++c) out[t * d + c] += w * g * w2[(e * d + c) * F + h];
      }
    }
  }
  // under every gate: with the hard one they are the router's only gradient
  const double aux = kBalance * E / k * std::inner_product(f.begin(), f.end(), P.begin(), 0.0) + kZ * z / n;
  return {out, aux};
}

}  // namespace moe_test

TEST_CASE("moe_ffn: forward and auxiliary loss equal the per-token computation, gradients match finite differences",
          "[models][moe_ffn]") {
  using namespace moe_test;
  auto be = make_cpu_backend<double>();
  for (int k : {1, 2})
    for (Gate gate : {Gate::Renormalized, Gate::Probability, Gate::Hard}) {
      DYNAMIC_SECTION("k " << k << " gate " << int(gate)) {
        const MoeShape s{n, d, F, E, k, gate, kBalance, kZ};
        Packed p;
        p.table.add("xn", {n, d});
        p.table.add("router", {E, d});
        p.table.add("w13", {E, 2 * F, d});
        p.table.add("w2", {E, d, F});
        p.fill(7);
        const auto base = random_vector(n * d, 8), R = random_vector(n * d, 9);
        MoeActs<double> acts;
        MoeScratch<double> scratch;
        Arena<double> arena(*be);
        arena.build([&](Arena<double>& a) { acts.layout(a, s); scratch.layout(a, s); });

        std::vector<double> out;
        double pair[2];
        auto forward = [&] {
          out = base;
          moe_ffn_forward(*be, s, p.at("xn"), p.at("router"), p.at("w13"), p.at("w2"), acts, out.data(), pair);
          return sum_aux_losses(pair, 1);  // the CPU backend's memory is the host's
        };
        const double aux = forward();
        const auto expected = naive(p.at("xn"), p.at("router"), p.at("w13"), p.at("w2"), k, gate, base);
        for (int i = 0; i < n * d; ++i) REQUIRE(out[i] == Approx(expected.out[i]).epsilon(1e-12).margin(1e-12));
        REQUIRE(aux == Approx(expected.aux).epsilon(1e-12));

        const auto grads = p.gradients({"router", "w13", "w2"}, [&](std::vector<double>& g) {
          moe_ffn_backward(*be, s, R.data(), p.at("xn"), p.at("router"), p.at("w13"), p.at("w2"), acts, scratch,
                           p.at(g, "xn"), p.at(g, "router"), p.at(g, "w13"), p.at(g, "w2"));
        });
        // The loss the layer's backward differentiates: <R, out> plus its auxiliary loss.
        check_gradients(p.table, p.values, grads, [&] {
          const double a = forward();
          return dot(R, out) + a;
        });
      }
    }
}
