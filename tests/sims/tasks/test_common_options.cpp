// The options graph tasks share: p as given, or calibrated from --mean-path; a mean below 1 refused.
#include <catch2/catch.hpp>

#include "graphs/calibrate.hpp"
#include "tasks/common_options.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("common_options: --p as given, or the calibrated p of --mean-path", "[sims][common_options]") {
  const Options base{{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "12"}};
  auto with = [&](Options extra) {
    extra.insert(base.begin(), base.end());
    return parse_run_options(extra);
  };
  REQUIRE(graph_p(with({}), 0.25) == 0.25);  // --p 0: the task's default
  REQUIRE(graph_p(with({{"p", "0.4"}}), 0.25) == 0.4);
  REQUIRE(graph_p(with({{"mean-path", "2"}}), 0.25) == moesim::graphs::calibrate_p(12, 2.0).p);
  REQUIRE_THROWS_AS(with({{"p", "0.4"}, {"mean-path", "2"}}), UsageError);  // one or the other
  REQUIRE_THROWS_WITH(check_mean_path(with({{"mean-path", "0.5"}})), Catch::Contains("--mean-path"));
  REQUIRE_NOTHROW(check_mean_path(with({{"mean-path", "0"}})));
}
