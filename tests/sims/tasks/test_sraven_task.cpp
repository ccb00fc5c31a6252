// SRAVEN as a task: the model's view of a batch (panels 1-8, then K query tokens with panel 9 as targets),
// scores named as the records name them, and the chance baseline.
#include <catch2/catch.hpp>
#include <cmath>

#include "run_options.hpp"
#include "tasks/sraven.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

using namespace moesim;
using namespace moesim::sims;

TEST_CASE("sraven_task: batches hold the panels, the queries and panel 9 as targets", "[sims][sraven_task]") {
  const auto o = parse_run_options({{"task", "sraven"}, {"model", "moe"}, {"features", "3"}, {"rule-pool", "5"}, {"seed", "4"}});
  const auto run = task_named("sraven").make(o);
  REQUIRE(run->shape().vocab == kSravenValues + 1);
  REQUIRE(run->shape().max_len == 27);
  REQUIRE(run->shape().bidirectional);
  const auto b = run->batch(2, 5);
  REQUIRE(b.B == 5);
  REQUIRE(b.T == 27);
  const auto splits = sraven_splits(3, 5, 4);  // the run's seed splits
  for (int r = 0; r < 5; ++r) {
    const auto p = sraven_problem(splits, 3, SravenSplit::Train, 4, uint64_t(2 * 5 + r));  // step 2's problems
    const auto tokens = sraven_tokens(p);
    REQUIRE(std::equal(tokens.begin(), tokens.end(), b.tokens.begin() + r * 27));
    for (int k = 0; k < 3; ++k) {
      REQUIRE(b.targets[r * 27 + 24 + k] == p.target()[k]);
      REQUIRE(b.weights[r * 27 + 24 + k] == Approx(1.0 / 15));
      REQUIRE(b.weights[r * 27 + k] == 0.0f);
    }
  }
  REQUIRE(run->baselines().at("chance") == Approx(std::pow(1.0 / 8, 3)));
}

TEST_CASE("sraven_task: the record holds the split and the ceilings, scores include the unique-answer ones",
          "[sims][sraven_task]") {
  const auto o = parse_run_options({{"task", "sraven"}, {"model", "moe"}, {"features", "3"}, {"rule-pool", "5"},
                                    {"test-size", "200"}, {"seed", "4"}, {"split-seed", "9"}});
  const auto run = task_named("sraven").make(o);
  const auto r = run->record();
  REQUIRE(r["split_seed"] == 9);
  REQUIRE(r["held_out"] == nlohmann::json(sraven_splits(3, 5, 9).held_out));
  const double ceiling = r["ood_ceiling"];
  REQUIRE(ceiling > 0.5);
  REQUIRE(ceiling <= 1.0);
  REQUIRE(r["ood_unique_share"].get<double>() <= 1.0);
  REQUIRE(run->baselines().at("ood_ceiling") == ceiling);
  REQUIRE(parse_run_options({{"task", "sraven"}, {"model", "moe"}}).task_options.integer("split-seed") == -1);
  REQUIRE_THROWS_AS(check_run_options(parse_run_options({{"task", "sraven"}, {"model", "moe"}, {"features", "2"}, {"rule-pool", "1"}})),
                    UsageError);
}
