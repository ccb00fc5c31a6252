#include <catch2/catch.hpp>
#include <cmath>

#include "models/adamw.hpp"

using namespace moesim::models;

TEST_CASE("adamw: the schedule warms up linearly, then decays to min_lr_ratio", "[models][adamw]") {
  OptimizerConfig c{.lr = 1.0, .warmup = 0.2};  // 100 steps: 20 of warm-up
  REQUIRE(learning_rate(c, 0, 100) == Approx(1.0 / 20));
  REQUIRE(learning_rate(c, 9, 100) == Approx(10.0 / 20));
  REQUIRE(learning_rate(c, 20, 100) == Approx(1.0));
  REQUIRE(learning_rate(c, 60, 100) == Approx(0.5));
  REQUIRE(learning_rate(c, 100, 100) == Approx(0.0).margin(1e-12));
  c.decay = Decay::Cosine;
  REQUIRE(learning_rate(c, 40, 100) == Approx(0.5 * (1 + std::cos(M_PI / 4))));
  REQUIRE(learning_rate(c, 60, 100) == Approx(0.5));
  c.min_lr_ratio = 0.1;
  REQUIRE(learning_rate(c, 100, 100) == Approx(0.1));
  c.decay = Decay::Linear;
  REQUIRE(learning_rate(c, 60, 100) == Approx(0.1 + 0.9 * 0.5));
}

namespace {

// A tensor with weight decay and a norm-like one without.
ParamTable two_tensors() {
  ParamTable t;
  t.add("w", {2});
  t.add("norm", {1}, false);
  return t;
}

// AdamW's update of one element at step t from zero moments, written out.
double expected(double p, double g, const OptimizerConfig& c, double lr, int t, bool decay) {
  const double m = (1 - c.beta1) * g / (1 - std::pow(c.beta1, t));
  const double v = (1 - c.beta2) * g * g / (1 - std::pow(c.beta2, t));
  return p - lr * (m / (std::sqrt(v) + c.eps) + (decay ? c.weight_decay : 0.0) * p);
}

}  // namespace

TEST_CASE("adamw: one step equals the written-out update, no decay on norms", "[models][adamw]") {
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, two_tensors());
  const std::vector<double> p{0.5, -2.0, 1.5}, g{0.3, -0.01, 0.2};
  s.upload(s.params(), p);
  s.upload(s.grads(), g);
  const OptimizerConfig c{.lr = 0.1, .weight_decay = 0.5, .warmup = 0.0, .clip = 0.0};
  AdamW<double> opt(c, s);
  opt.step(0, 10);
  REQUIRE(opt.grad_norm() == Approx(std::sqrt(0.09 + 0.0001 + 0.04)));
  const auto after = s.download(s.params());
  for (int i = 0; i < 3; ++i) REQUIRE(after[i] == Approx(expected(p[i], g[i], c, 0.1, 1, i < 2)).epsilon(1e-12));
  REQUIRE(opt.steps_taken() == 1);
}

TEST_CASE("adamw: clipping rescales the gradient to the clip norm and reports the norm before", "[models][adamw]") {
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, two_tensors());
  s.upload(s.grads(), {3.0, 0.0, 4.0});
  AdamW<double> opt({.lr = 0.1, .warmup = 0.0, .clip = 1.0}, s);
  opt.step(0, 10);
  REQUIRE(opt.grad_norm() == Approx(5.0));
  const auto g = s.download(s.grads());
  REQUIRE(g[0] == Approx(0.6));
  REQUIRE(g[2] == Approx(0.8));
}

TEST_CASE("adamw: a resumed optimizer corrects the moments' bias for the steps already taken", "[models][adamw]") {
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, two_tensors());
  const std::vector<double> g{0.3, -0.2, 0.1};
  s.upload(s.grads(), g);
  const OptimizerConfig c{.lr = 0.01, .warmup = 0.0, .clip = 0.0};
  AdamW<double> opt(c, s);
  opt.set_steps_taken(9);
  opt.step(50, 100);
  const double lr = learning_rate(c, 50, 100);
  const auto after = s.download(s.params());
  for (int i = 0; i < 3; ++i) REQUIRE(after[i] == Approx(expected(0.0, g[i], c, lr, 10, i < 2)).epsilon(1e-12));
  REQUIRE(opt.steps_taken() == 10);
}

TEST_CASE("adamw: lr_width scales the lr of tensors wider than it by lr_width / width, and only those",
          "[models][adamw]") {
  ParamTable t;
  t.add("embed", {2});                // no width: always lr
  t.add("narrow", {1}, true, 16);     // at lr_width: lr
  t.add("wide", {2}, true, 64);       // lr * 16 / 64
  t.add("wider", {1}, false, 128);    // lr * 16 / 128, no decay
  const std::vector<double> g{0.3, -0.2, 0.1, 0.5, -0.4, 0.7};
  const std::vector<double> lr_of{1, 1, 1, 0.25, 0.25, 0.125};
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, t);
  s.upload(s.params(), std::vector<double>(6, 1.0));
  s.upload(s.grads(), g);
  const OptimizerConfig c{.lr = 0.1, .weight_decay = 0.5, .warmup = 0.0, .clip = 0.0, .lr_width = 16};
  AdamW<double> opt(c, s);
  opt.step(3, 10);
  const double lr = learning_rate(c, 3, 10);
  const auto after = s.download(s.params());
  for (int i = 0; i < 6; ++i)
    REQUIRE(after[i] == Approx(expected(1.0, g[i], c, lr * lr_of[i], 1, i != 5)).epsilon(1e-12));

  // Off (0), every tensor at lr, exactly as a table without widths.
  ParamStore<double> plain(*be, t);
  plain.upload(plain.params(), std::vector<double>(6, 1.0));
  plain.upload(plain.grads(), g);
  AdamW<double> off({.lr = 0.1, .weight_decay = 0.5, .warmup = 0.0, .clip = 0.0}, plain);
  off.step(3, 10);
  const auto unscaled = plain.download(plain.params());
  for (int i = 0; i < 6; ++i) REQUIRE(unscaled[i] == Approx(expected(1.0, g[i], c, lr, 1, i != 5)).epsilon(1e-12));
  REQUIRE(lr_multiplier(c, 0) == 1.0);
  REQUIRE(lr_multiplier(c, 8) == 1.0);
  REQUIRE(lr_multiplier(c, 32) == 0.5);
}
