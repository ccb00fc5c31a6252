#include <catch2/catch.hpp>

#include "graphs/calibrate.hpp"

using namespace moesim::graphs;

TEST_CASE("calibrate_p: mean path 3.5 within ±0.05 for n = 25 and 50", "[graphs][calibrate]") {
  for (int n : {25, 50}) {
    const auto c = calibrate_p(n, 3.5);
    INFO("n = " << n << ", p = " << c.p);
    REQUIRE(std::abs(c.achieved_mean - 3.5) <= 0.05);
    REQUIRE(c.p >= c.peak_p);  // the dense side (n = 25 peaks just below 3.5: p is the peak's)
    // On a fresh sample of graphs (another seed) the mean is near the target too.
    REQUIRE(std::abs(mean_path_length(n, c.p, 400, 12345) - 3.5) <= 0.1);
  }
}

TEST_CASE("calibrate_p: deterministic", "[graphs][calibrate]") {
  REQUIRE(calibrate_p(25, 3.0).p == calibrate_p(25, 3.0).p);
}

TEST_CASE("calibrate_p: unreachable targets fail clearly", "[graphs][calibrate]") {
  REQUIRE_THROWS_AS(calibrate_p(5, 3.5), CalibrationError);  // 5 nodes cannot average 3.5 hops
  REQUIRE_THROWS_AS(calibrate_p(25, 0.5), CalibrationError);
  REQUIRE_THROWS_WITH(calibrate_p(5, 3.5), Catch::Contains("cannot be reached with 5 nodes"));
}
