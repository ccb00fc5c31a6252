#include <catch2/catch.hpp>

#include "graphs/calibrate.hpp"
#include "graphs/coupled_sample.hpp"

using namespace moesim::graphs;

TEST_CASE("calibrate_p: mean path 3.5 within ±0.05 for n = 25, 50 and 200", "[graphs][calibrate]") {
  for (int n : {25, 50, 200}) {
    const auto c = calibrate_p(n, 3.5);
    INFO("n = " << n << ", p = " << c.p << ", se = " << c.achieved_se);
    REQUIRE(std::abs(c.achieved_mean - 3.5) <= 0.05);
    REQUIRE(c.p >= c.peak_p);  // the dense side (n = 25 peaks just below 3.5: p is the peak's)
    REQUIRE(c.achieved_se > 0);
    REQUIRE(c.achieved_se < 0.05);
    // The reported estimate is the sample's at p, and on a fresh sample of graphs (another seed, the
    // instance generator, every source) the mean is near the target too.
    const auto e = CoupledSample(n, c.graphs, c.sources, CalibrationOptions{}.seed).mean_path(c.p);
    REQUIRE(e.mean == c.achieved_mean);
    REQUIRE(e.se == c.achieved_se);
    if (n <= 50) REQUIRE(std::abs(mean_path_length(n, c.p, 400, 12345) - 3.5) <= 0.1);
  }
}

TEST_CASE("calibrate_p: p at 50 nodes stays within 0.01 of the all-pairs calibration", "[graphs][calibrate]") {
  // 0.059689714: calibrate_p(50, 3.5) with default options before the coupled sample (commit d6055f0:
  // 400 independent G(50, p) per p, BFS from every source, bisection to 1e-6).
  REQUIRE(std::abs(calibrate_p(50, 3.5).p - 0.059689714) <= 0.01);
}

TEST_CASE("calibrate_p: deterministic", "[graphs][calibrate]") {
  REQUIRE(calibrate_p(25, 3.0).p == calibrate_p(25, 3.0).p);
  const auto a = calibrate_p(100, 3.5, {.seed = 9}), b = calibrate_p(100, 3.5, {.seed = 9});
  REQUIRE(a.p == b.p);
  REQUIRE(a.achieved_mean == b.achieved_mean);
  REQUIRE(a.achieved_se == b.achieved_se);
  REQUIRE(calibrate_p(100, 3.5, {.seed = 10}).p != a.p);
}

TEST_CASE("calibrate_p: the sample follows the options and more graphs give a smaller standard error", "[graphs][calibrate]") {
  const auto auto_sample = calibrate_p(100, 3.5);
  REQUIRE(auto_sample.graphs == 400);
  REQUIRE(auto_sample.sources == 16);
  REQUIRE(calibration_graphs(5000, {}) == 64);
  REQUIRE(calibration_sources(50, {}) == 50);  // every source at small n
  const auto few = calibrate_p(100, 3.5, {.graphs = 50, .sources = 8});
  const auto many = calibrate_p(100, 3.5, {.graphs = 400, .sources = 8});
  REQUIRE(few.graphs == 50);
  REQUIRE(few.sources == 8);
  REQUIRE(many.achieved_se < few.achieved_se);
}

TEST_CASE("calibrate_p: a target just above the peak gets the peak's p", "[graphs][calibrate]") {
  const auto c = calibrate_p(25, 3.5);  // directed G(25, p) peaks at a mean of about 3.47
  REQUIRE(c.at_peak);
  REQUIRE(c.p == c.peak_p);
  REQUIRE(c.achieved_mean == c.peak_mean);
  REQUIRE(c.achieved_mean < 3.5);
  REQUIRE(c.achieved_se > 0);
}

TEST_CASE("calibrate_p: unreachable targets fail clearly", "[graphs][calibrate]") {
  REQUIRE_THROWS_AS(calibrate_p(5, 3.5), CalibrationError);  // 5 nodes cannot average 3.5 hops
  REQUIRE_THROWS_AS(calibrate_p(25, 0.5), CalibrationError);
  REQUIRE_THROWS_AS(calibrate_p(25, 3.6), CalibrationError);  // beyond the peak's tolerance
  REQUIRE_THROWS_WITH(calibrate_p(5, 3.5), Catch::Contains("cannot be reached with 5 nodes"));
}
