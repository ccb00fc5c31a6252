// The top-k dispatch with an expert of its own (a linear map to `out` = 2 values, unlike the FFN's d): each
// token reaches exactly its k experts with the gate's weights, integer inputs give exact sums, and the
// routing's gradients (inputs and router) match finite differences for every gate.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "../gradcheck.hpp"
#include "layer_check.hpp"
#include "models/layers/moe_dispatch.hpp"

using namespace moesim::models;
using namespace moesim::testing;

namespace dispatch_test {

constexpr int n = 6, d = 3, E = 4, out = 2;

// Expert e: y = x A_e with A_e (d, out) fixed per expert (not trained here).
struct LinearExperts {
  Backend<double>& be;
  std::vector<double> A = random_vector(size_t(E) * d * out, 31);
  ExpertForward<double> forward() {  // grouped, as the MoE layers run their experts
    return [this](const int* offsets, const double* xs, double* ys) {
      be.gemm_grouped(false, out, d, 1.0, xs, d, A.data(), out, long(d) * out, 0.0, ys, out, offsets, E, n * k);
    };
  }
  ExpertBackward<double> backward() {
    return [this](const int* offsets, const double* dys, double* dxs) {
      be.gemm_grouped(true, d, out, 1.0, dys, out, A.data(), out, long(d) * out, 0.0, dxs, d, offsets, E, n * k);
    };
  }
  int k = 1;  // experts per token of the dispatch under test (the grouped GEMM's row count is n*k)
};

}  // namespace dispatch_test

TEST_CASE("moe_dispatch: each token gets its top-k experts' outputs with the gate's weights", "[models][moe_dispatch]") {
  using namespace dispatch_test;
  auto be = make_cpu_backend<double>();
  LinearExperts experts{*be};
  for (double& a : experts.A) a = std::round(4 * a);  // integers: the sums below are exact
  std::vector<double> x = random_vector(size_t(n) * d, 5), router = random_vector(size_t(E) * d, 6);
  for (double& v : x) v = std::round(4 * v);
  for (int k : {1, 2}) {
    const DispatchShape s{n, d, E, k, out, Gate::Hard, 0.0, 0.0};
    DispatchActs<double> acts;
    DispatchScratch<double> scratch;
    Arena<double> arena(*be);
    arena.build([&](Arena<double>& a) { acts.layout(a, s); scratch.layout(a, s); });
    std::vector<double> y(size_t(n) * out, 1.0);  // the layer accumulates onto what is there
    dispatch_forward<double>(*be, s, x.data(), router.data(), acts, y.data(), nullptr, experts.forward());
    for (int t = 0; t < n; ++t) {
      std::vector<double> logits(E);
      for (int e = 0; e < E; ++e) logits[e] = std::inner_product(&x[t * d], &x[t * d] + d, &router[e * d], 0.0);
      std::vector<int> order(E);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
      for (int c = 0; c < out; ++c) {
        double want = 1.0;
        for (int j = 0; j < k; ++j)
          for (int i = 0; i < d; ++i) want += x[t * d + i] * experts.A[(size_t(order[j]) * d + i) * out + c];
        REQUIRE(y[t * out + c] == want);  // exact: integers and hard weights of 1
      }
    }
  }
}

TEST_CASE("moe_dispatch: input and router gradients match finite differences for every gate", "[models][moe_dispatch]") {
  using namespace dispatch_test;
  auto be = make_cpu_backend<double>();
  LinearExperts experts{*be};
  for (int k : {1, 2})
    for (Gate gate : {Gate::Renormalized, Gate::Probability, Gate::Hard}) {
      DYNAMIC_SECTION("k " << k << " gate " << int(gate)) {
        const DispatchShape s{n, d, E, k, out, gate, 0.01, 0.001};
        experts.k = k;
        Packed p;
        p.table.add("x", {n, d});
        p.table.add("router", {E, d});
        p.fill(11);
        const auto R = random_vector(size_t(n) * out, 12);
        DispatchActs<double> acts;
        DispatchScratch<double> scratch;
        Arena<double> arena(*be);
        arena.build([&](Arena<double>& a) { acts.layout(a, s); scratch.layout(a, s); });
        std::vector<double> y;
        double aux[2];
        auto forward = [&] {
          y.assign(size_t(n) * out, 0.0);
          dispatch_forward<double>(*be, s, p.at("x"), p.at("router"), acts, y.data(), aux, experts.forward());
          return sum_aux_losses(aux, 1);  // the CPU backend's memory is the host's
        };
        forward();
        const auto grads = p.gradients({"router"}, [&](std::vector<double>& g) {
          dispatch_backward<double>(*be, s, R.data(), p.at("x"), p.at("router"), acts, scratch, p.at(g, "x"),
                                    p.at(g, "router"), experts.backward());
        });
        check_gradients(p.table, p.values, grads, [&] {
          const double aux = forward();
          return dot(R, y) + aux;
        });
      }
    }
}

TEST_CASE("moe_dispatch: routing statistics of a hand-routed batch", "[models][moe_dispatch]") {
  using namespace dispatch_test;
  auto be = make_cpu_backend<double>();
  LinearExperts experts{*be};
  // Router rows 3 e_0, 3 e_1, 3 e_2, 0 of d = 3 and one-hot inputs: tokens 0-3 choose expert 0 with logits
  // (3, 0, 0, 0), tokens 4-5 expert 1; k = 1, so expert 0 holds 4 of the 6 slots.
  std::vector<double> router(size_t(E) * d, 0.0), x(size_t(n) * d, 0.0);
  router[0 * d + 0] = router[1 * d + 1] = router[2 * d + 2] = 3.0;
  for (int t = 0; t < n; ++t) x[t * d + (t < 4 ? 0 : 1)] = 1.0;
  const DispatchShape s{n, d, E, 1, out, Gate::Probability, 0.0, 0.0};
  DispatchActs<double> acts;
  Arena<double> arena(*be);
  arena.build([&](Arena<double>& a) { acts.layout(a, s); });
  std::vector<double> y(size_t(n) * out, 0.0);
  dispatch_forward<double>(*be, s, x.data(), router.data(), acts, y.data(), nullptr, experts.forward());
  const RoutingStats r = routing_stats(*be, n, E, acts);
  REQUIRE(r.load == std::vector<double>{4.0 / 6, 2.0 / 6, 0.0, 0.0});
  REQUIRE(r.max_over_mean == Approx(4.0 / 6 * E));
  // Every token's softmax is (e^3, 1, 1, 1) / (e^3 + 3) up to order: one entropy for all.
  const double p = std::exp(3.0) / (std::exp(3.0) + 3), q = 1 / (std::exp(3.0) + 3);
  REQUIRE(r.entropy == Approx(-p * std::log(p) - 3 * q * std::log(q)).epsilon(1e-12));
  // A router of zeros: uniform probabilities, entropy ln E.
  std::fill(router.begin(), router.end(), 0.0);
  dispatch_forward<double>(*be, s, x.data(), router.data(), acts, y.data(), nullptr, experts.forward());
  REQUIRE(routing_stats(*be, n, E, acts).entropy == Approx(std::log(double(E))));
}
