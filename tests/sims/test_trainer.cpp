// Learning, not just running: small instances each model must solve within seconds.
#include <catch2/catch.hpp>
#include <limits>

#include "trainer.hpp"

using namespace moesim;

TEST_CASE("trainer: a 64-entry phone book is memorised to 100%", "[sims][trainer]") {
  const auto task = sims::make_phonebook(64, 64, 1);
  models::TransformerConfig c{.vocab = task.vocab, .d = 64, .layers = 2, .heads = 4, .max_len = task.max_len};
  auto be = models::make_cpu_backend<float>();
  models::Transformer<float> model(c, *be, 1);
  sims::TrainConfig tc{.steps = 1500, .batch = 32, .eval_every = 100, .target = 1.0};
  tc.optimizer.lr = 3e-3, tc.optimizer.warmup = 0.05, tc.optimizer.weight_decay = 0.0;
  const auto r = sims::train_sequence(model, task, tc);
  INFO("status " << r.status << " steps " << r.steps_done << " test " << r.last().test_metric);
  REQUIRE(r.last().test_metric == 1.0);
}

TEST_CASE("trainer: length-2 path on 8 vertices is solved by a dense one-layer model of width 8", "[sims][trainer]") {
  const auto task = sims::make_length2(8, 0.3, 4000, 500, 2);
  models::OneLayerConfig c{.vocab = task.vocab, .m = 8, .heads = 1, .hidden = 32};
  auto be = models::make_cpu_backend<float>();
  models::OneLayer<float> model(c, *be, 3);
  sims::TrainConfig tc{.steps = 10000, .batch = 64, .eval_every = 500, .target = 0.99};
  tc.optimizer.lr = 1e-2, tc.optimizer.warmup = 0.05, tc.optimizer.weight_decay = 0.0;
  const auto r = sims::train_classifier(model, task, tc);
  INFO("status " << r.status << " steps " << r.steps_done << " test " << r.last().test_metric);
  REQUIRE(r.last().test_metric >= 0.95);
}

TEST_CASE("trainer: shortest path on 8-node graphs improves well above chance", "[sims][trainer]") {
  const auto task = sims::make_shortest_path(8, 0.25, 2000, 200, 3);
  models::TransformerConfig c{.vocab = task.vocab, .d = 32, .layers = 2, .heads = 4, .max_len = task.max_len};
  auto be = models::make_cpu_backend<float>();
  models::Transformer<float> model(c, *be, 4);
  sims::TrainConfig tc{.steps = 300, .batch = 16, .eval_every = 300, .eval_limit = 200};
  tc.optimizer.lr = 3e-3, tc.optimizer.warmup = 0.05;
  const double before = sims::exact_match(model, task.test, 200);
  const auto r = sims::train_sequence(model, task, tc);
  INFO("before " << before << " after " << r.last().test_metric);
  REQUIRE(r.last().test_metric >= before + 0.2);
}

TEST_CASE("trainer: a NaN loss ends the run as diverged", "[sims][trainer]") {
  const auto task = sims::make_gaussian(32, 4, 3, 1);
  models::OneLayerConfig c{.input_dim = 3, .m = 4, .hidden = 8};
  auto be = models::make_cpu_backend<float>();
  models::OneLayer<float> model(c, *be, 1);
  auto params = model.store().download(model.store().params());
  params[model.store().table()["W"].offset] = std::numeric_limits<float>::quiet_NaN();
  model.store().upload(model.store().params(), params);
  const auto r = sims::train_classifier(model, task, {.steps = 50, .batch = 8, .eval_every = 10});
  REQUIRE(r.status == "diverged");
  REQUIRE(r.steps_done == 1);
}
