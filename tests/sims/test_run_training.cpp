// One run per model family, tiny: the record has what sweeps and figures read from it.
#include <catch2/catch.hpp>

#include "device.hpp"
#include "models/config.hpp"
#include "run_training.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("run_training: a one-layer run's record has options, config, counts, baselines and result",
          "[sims][run_training]") {
  const Options given{{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "2"}, {"n", "16"}, {"m", "4"},
                      {"steps", "20"}, {"eval-every", "10"}, {"seed", "3"}, {"threads", "1"}};
  const auto o = parse_run_options(given);
  const auto r = run_training(o, given, {});
  REQUIRE(r.given == given);
  REQUIRE(r.seed == 3);
  REQUIRE(o.device == "auto");                   // the default
  REQUIRE(r.device == resolve_device("auto"));  // resolved before the run: a record never says "auto"
  REQUIRE(r.config["device"] == r.device);
  REQUIRE(r.config["experts"] == 2);
  REQUIRE(r.config["hidden"] == 32);  // --hidden's default, resolved
  REQUIRE(r.config["lr"] == 0.003);   // a default nobody typed
  REQUIRE(r.config.contains("n"));    // the task's own options
  REQUIRE_FALSE(r.config.contains("entries"));  // not another task's
  REQUIRE(r.model_config["experts"] == 2);
  const auto counts = moesim::models::count_params(moesim::models::OneLayerConfig{
      .input_dim = 8, .m = 4, .heads = 4, .hidden = 32, .experts = 2});
  REQUIRE(r.params.total == counts.total);
  REQUIRE(r.params.active == counts.active);
  REQUIRE(r.baselines.count("majority"));
  REQUIRE(r.result.status == "completed");
  REQUIRE(r.result.steps_done == 20);
  REQUIRE(r.result.evals.size() == 2);
  // The same options give the same result (seeded data, init and batch order).
  const auto again = run_training(o, given, {});
  for (size_t i = 0; i < r.result.evals.size(); ++i) REQUIRE(again.result.evals[i].loss == r.result.evals[i].loss);
}

TEST_CASE("run_training: a Transformer run's record, options that do not fit are a usage error", "[sims][run_training]") {
  const Options given{{"task", "phonebook"}, {"model", "moe"}, {"experts", "4"}, {"entries", "8"}, {"test-size", "4"},
                      {"d", "16"}, {"layers", "1"}, {"heads", "2"}, {"steps", "5"}, {"eval-every", "5"}, {"threads", "1"}};
  const auto r = run_training(parse_run_options(given), given, {});
  REQUIRE(r.model_kind == "transformer");
  REQUIRE(r.model_config["experts"] == 4);
  REQUIRE(r.model_config["max_len"] == 15);
  REQUIRE(r.params.active < r.params.total);
  REQUIRE(r.result.steps_done == 5);
  const Options wrong{{"task", "phonebook"}, {"model", "onelayer"}};
  REQUIRE_THROWS_AS(run_training(parse_run_options(wrong), wrong, {}), UsageError);
}

TEST_CASE("run_training: the same bits with 1 and 2 threads, at sizes that take the parallel paths",
          "[sims][run_training]") {
  // Large enough that the CPU backend's GEMMs split into blocks and its loops fork teams (kMinParallelWork):
  // a record's identity leaves the thread count out because of this.
  const std::vector<Options> runs{
      {{"task", "shortest-path"}, {"model", "moe"}, {"nodes", "10"}, {"p", "0.25"}, {"d", "64"}, {"experts", "4"},
       {"layers", "1"}, {"heads", "2"}, {"batch", "32"}, {"steps", "2"}, {"eval-every", "2"}, {"train-size", "32"},
       {"test-size", "8"}},
      {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "24"}, {"distribution", "disjointness"}, {"m", "64"},
       {"experts", "8"}, {"batch", "128"}, {"steps", "2"}, {"eval-every", "2"}, {"test-size", "128"}}};
  for (Options given : runs) {
    INFO(given.at("task"));
    given["threads"] = "1";
    const auto one = run_training(parse_run_options(given), given, {});
    given["threads"] = "2";
    const auto two = run_training(parse_run_options(given), given, {});
    auto a = computed_json(one), b = computed_json(two);
    a.erase("options"), b.erase("options");  // as typed: --threads differs there
    REQUIRE(a == b);
  }
}

TEST_CASE("run_training: --eval-limit 0 scores every example of each split", "[sims][run_training]") {
  // A test set of 701 examples, past the default limit of 512: a limit of 0 scores exactly what a limit
  // equal to the set's size does, and 512 scores something else (the test can fail).
  Options given{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"m", "4"}, {"steps", "30"},
                {"eval-every", "30"}, {"train-size", "701"}, {"test-size", "701"}, {"threads", "1"}};
  auto final_scores = [&](const char* limit) {
    given["eval-limit"] = limit;
    const auto r = run_training(parse_run_options(given), given, {});
    return std::pair{r.result.evals.back().train_metric, r.result.evals.back().test_metric};
  };
  REQUIRE(parse_run_options(given).examples_per_evaluation() == 512);
  const auto all = final_scores("0"), whole = final_scores("701"), part = final_scores("512");
  REQUIRE(all == whole);
  REQUIRE(all != part);
  REQUIRE(all.second * 701 == Approx(std::round(all.second * 701)));  // a count out of 701
}
