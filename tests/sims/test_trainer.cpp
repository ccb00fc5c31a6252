// Learning, not just running: small instances each model family must solve within seconds, through the one
// training loop, and a NaN that ends a run as diverged.
#include <catch2/catch.hpp>
#include <limits>
#include <stdexcept>

#include "model_factory.hpp"
#include "models/one_layer.hpp"
#include "run_training.hpp"
#include "tasks/task.hpp"
#include "trainer.hpp"

using namespace moesim;
using namespace moesim::sims;

namespace trainer_test {

struct Setup {
  RunOptions options;
  std::unique_ptr<TaskRun> task;
  std::unique_ptr<models::Backend<float>> backend = models::make_cpu_backend<float>();
  BuiltModel model;
  explicit Setup(const Options& given) : options(parse_run_options(given)), task(task_named(options.task).make(options)) {
    model = build_model(options, task->shape(), *backend);
  }
};

TrainConfig config(long steps, int batch, int eval_every, double lr, double weight_decay, double target = 1.0) {
  RunOptions o;  // `moesim train`'s defaults but for these
  o.steps = steps, o.batch = batch, o.eval_every = eval_every, o.target = target;
  o.lr = lr, o.weight_decay = weight_decay;
  return train_config(o);
}

}  // namespace trainer_test

using namespace trainer_test;

TEST_CASE("trainer: a 64-entry phone book is memorised to 100%", "[sims][trainer]") {
  Setup s({{"task", "phonebook"}, {"model", "dense"}, {"entries", "64"}, {"test-size", "64"}, {"seed", "1"}});
  const auto r = train(*s.model.model, *s.task, config(1500, 32, 100, 3e-3, 0.0));
  INFO("status " << r.status << " steps " << r.steps_done << " test " << r.last().test_metric);
  REQUIRE(r.last().test_metric == 1.0);
}

TEST_CASE("trainer: length-2 path on 8 vertices is solved by a dense one-layer model of width 8", "[sims][trainer]") {
  Setup s({{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"p", "0.3"}, {"train-size", "4000"},
           {"test-size", "500"}, {"m", "8"}, {"heads", "1"}, {"seed", "2"}});
  const auto r = train(*s.model.model, *s.task, config(10000, 64, 500, 1e-2, 0.0, 0.99));
  INFO("status " << r.status << " steps " << r.steps_done << " test " << r.last().test_metric);
  REQUIRE(r.last().test_metric >= 0.95);
}

TEST_CASE("trainer: shortest path on 8-node graphs improves well above chance", "[sims][trainer]") {
  Setup s({{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "8"}, {"p", "0.25"}, {"train-size", "2000"},
           {"test-size", "200"}, {"d", "32"}, {"seed", "3"}});
  const double before = s.task->evaluate(*s.model.model, 200).test;
  auto tc = config(600, 16, 600, 3e-3, 0.1);  // 300 steps reach 0.05-0.26 depending on the seed, 600 0.33-0.41
  tc.eval_limit = 200;
  const auto r = train(*s.model.model, *s.task, tc);
  INFO("before " << before << " after " << r.last().test_metric);
  REQUIRE(r.last().test_metric >= before + 0.25);
}

TEST_CASE("trainer: a NaN loss ends the run as diverged", "[sims][trainer]") {
  Setup s({{"task", "gaussian"}, {"model", "onelayer"}, {"n", "32"}, {"seq-len", "4"}, {"dim", "3"}, {"m", "4"},
           {"hidden", "8"}, {"heads", "1"}});
  auto& store = s.model.model->store();
  auto params = store.download(store.params());
  const auto c = models::OneLayerConfig{.input_dim = 3, .m = 4, .heads = 1, .hidden = 8};
  models::one_layer_tensors(c, params.data()).W(0, 0, 0) = std::numeric_limits<float>::quiet_NaN();
  store.upload(store.params(), params);
  const auto r = train(*s.model.model, *s.task, config(50, 8, 10, 1e-3, 0.1));
  REQUIRE(r.status == "diverged");
  REQUIRE(r.steps_done == 1);
  REQUIRE_THROWS_AS(train(*s.model.model, *s.task, TrainConfig{}), std::invalid_argument);  // not made by train_config
}
