// Budget control: the largest model of each series gets a twin at F times the epochs; the verdict compares
// the twin's capacity with the 1x point's against the search resolution.
#include <catch2/catch.hpp>

#include "../sweep/csv_check.hpp"
#include "sweep/budget_control.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("budget_control: twins of each series' largest model, and their verdicts", "[sims][budget_control]") {
  auto point = [](const std::string& label, const std::string& hidden) {
    return Point{label, {{"hidden", hidden}}, {{"task", "gaussian"}, {"model", "onelayer"}, {"hidden", hidden}, {"epochs", "50"}}};
  };
  std::vector<Point> points{point("dense", "8"), point("dense", "32"), point("dense", "16"), point("MoE, wide", "8")};
  add_budget_twins(points, 2);
  REQUIRE(points.size() == 6);
  REQUIRE(points[4].label == "dense, 2x epochs");
  REQUIRE(points[4].options.at("hidden") == "32");  // the largest of the series, not the last listed
  REQUIRE(points[4].options.at("epochs") == "100");
  REQUIRE(points[4].axes.at("epochs_factor") == "2");
  REQUIRE(points[0].axes.at("epochs_factor") == "1");
  REQUIRE(points[5].label == "MoE, wide, 2x epochs");

  Section s;
  s.name = "c", s.kind = "memorization", s.seeds = {1};
  s.search = Search{.key = "n", .min = 16, .max = 4096, .step = 16, .smallest = false, .resolution = 0.1};
  SectionResult r{&s, {}};
  auto found = [](long n) { return std::vector<SeedResult>{searched(1, n, false, "n")}; };
  r.points = {{points[0], found(100)}, {points[1], found(1000)}, {points[2], found(500)}, {points[3], found(200)},
              {points[4], found(1050)}, {points[5], found(400)}};
  // dense: 1000 -> 1050 at 2x, within max(16, 0.1 * 1050): stable, for every point of the series.
  REQUIRE(budget_verdict(r, r.points[0]).verdict == "stable");
  REQUIRE(budget_verdict(r, r.points[4]).verdict == "stable");
  REQUIRE(is_budget_twin(r.points[4].point));  // the twin, judged with its series
  REQUIRE(budget_verdict(r, r.points[1]).moved == 50);
  // MoE, wide: 200 -> 400: more training moved it.
  REQUIRE(budget_verdict(r, r.points[3]).verdict == "budget-limited");
  REQUIRE(budget_verdict(r, r.points[5]).verdict == "budget-limited");
  r.points[5].seeds = {searched(1, std::nullopt)};
  REQUIRE(budget_verdict(r, r.points[3]).verdict == "censored");

  std::vector<Point> by_steps{Point{"dense", {}, {{"task", "gaussian"}, {"model", "onelayer"}, {"steps", "9"}}}};
  REQUIRE_THROWS_AS(add_budget_twins(by_steps, 2), UsageError);
  add_budget_twins(by_steps, 0);  // no control: no twin, and --steps is fine
  REQUIRE(by_steps.size() == 1);
}
