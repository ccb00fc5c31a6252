// One run per model family, tiny: the record has what sweeps and figures read from it.
#include <catch2/catch.hpp>

#include "cli/usage_error.hpp"
#include "models/config.hpp"
#include "run_training.hpp"

using namespace moesim::sims;

TEST_CASE("run_training: a one-layer run's record has options, counts, config and result", "[sims][run_training]") {
  const Options given{{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "2"}, {"n", "16"}, {"m", "4"},
                      {"steps", "20"}, {"eval-every", "10"}, {"seed", "3"}, {"threads", "1"}};
  const auto o = parse_run_options(given);
  const auto r = run_training(o, given, {});
  REQUIRE(r["options"]["experts"] == "2");
  REQUIRE(r["seed"] == 3);
  REQUIRE(r["device"] == "cpu");
  REQUIRE(r["config"]["experts"] == 2);
  REQUIRE(r["config"]["hidden"] == 32);  // --hidden's default
  const auto counts = moesim::models::count_params(moesim::models::OneLayerConfig{
      .input_dim = 8, .m = 4, .heads = 4, .hidden = 32, .experts = 2});
  REQUIRE(r["params"]["total"] == counts.total);
  REQUIRE(r["params"]["active"] == counts.active);
  REQUIRE(r["result"]["status"] == "completed");
  REQUIRE(r["result"]["steps_done"] == 20);
  REQUIRE(r["result"].at("evaluations").size() == 2);
  // The same options give the same record (seeded data, init and batch order).
  REQUIRE(run_training(o, given, {})["result"].at("evaluations") == r["result"].at("evaluations"));
}

TEST_CASE("run_training: a Transformer run's record, options that do not fit are a usage error", "[sims][run_training]") {
  const Options given{{"task", "phonebook"}, {"model", "moe"}, {"experts", "4"}, {"entries", "8"}, {"test-size", "4"},
                      {"d", "16"}, {"layers", "1"}, {"heads", "2"}, {"steps", "5"}, {"eval-every", "5"}, {"threads", "1"}};
  const auto r = run_training(parse_run_options(given), given, {});
  REQUIRE(r["config"]["experts"] == 4);
  REQUIRE(r["config"]["max_len"] == 15);
  REQUIRE(r["params"]["active"] < r["params"]["total"]);
  REQUIRE(r["result"]["steps_done"] == 5);
  const Options wrong{{"task", "phonebook"}, {"model", "onelayer"}};
  REQUIRE_THROWS_AS(run_training(parse_run_options(wrong), wrong, {}), UsageError);
}
