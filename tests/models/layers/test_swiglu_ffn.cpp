#include <catch2/catch.hpp>
#include <cmath>

#include "../gradcheck.hpp"
#include "layer_check.hpp"
#include "models/layers/swiglu_ffn.hpp"

using namespace moesim::models;
using namespace moesim::testing;

// Named, not anonymous: the ASan pass compiles the tests as a unity build, where anonymous namespaces merge.
namespace swiglu_test {

constexpr int n = 5, d = 4, F = 3;

// out (n,d) += (silu(x w1^T) * (x w3^T)) w2^T, element by element.
std::vector<double> naive(const double* x, const double* w13, const double* w2, std::vector<double> out) {
  for (int t = 0; t < n; ++t)
    for (int f = 0; f < F; ++f) {
      double h1 = 0, h3 = 0;
      for (int c = 0; c < d; ++c) h1 += x[t * d + c] * w13[f * d + c], h3 += x[t * d + c] * w13[(F + f) * d + c];
      const double g = h1 / (1 + std::exp(-h1)) * h3;
      for (int c = 0; c < d; ++c) out[t * d + c] += g * w2[c * F + f];
    }
  return out;
}

}  // namespace swiglu_test

TEST_CASE("swiglu_ffn: forward equals the formula and accumulates, gradients match finite differences",
          "[models][swiglu_ffn]") {
  using namespace swiglu_test;
  auto be = make_cpu_backend<double>();
  Packed p;
  p.table.add("xn", {n, d});
  p.table.add("w13", {2 * F, d});
  p.table.add("w2", {d, F});
  p.fill(1);
  const auto base = random_vector(n * d, 2), R = random_vector(n * d, 3);
  SwigluActs<double> acts;
  SwigluScratch<double> scratch;
  Arena<double> arena(*be);
  arena.build([&](Arena<double>& a) { acts.layout(a, n, F); scratch.layout(a, n, F); });

  auto forward = [&] {
    std::vector<double> out = base;
    swiglu_ffn_forward(*be, n, d, F, p.at("xn"), p.at("w13"), p.at("w2"), acts, out.data());
    return out;
  };
  const auto out = forward();
  const auto expected = naive(p.at("xn"), p.at("w13"), p.at("w2"), base);
  for (int i = 0; i < n * d; ++i) REQUIRE(out[i] == Approx(expected[i]).epsilon(1e-12));

  const auto grads = p.gradients({"w13", "w2"}, [&](std::vector<double>& g) {
    swiglu_ffn_backward(*be, n, d, F, R.data(), p.at("xn"), p.at("w13"), p.at("w2"), acts, scratch, p.at(g, "xn"),
                        p.at(g, "w13"), p.at(g, "w2"));
  });
  check_gradients(p.table, p.values, grads, [&] { return dot(R, forward()); });
}
