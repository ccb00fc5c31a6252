#include <catch2/catch.hpp>

#include <cmath>

#include "bench/graphs_bench.hpp"

using namespace moesim::sims;

TEST_CASE("graphs_bench: generates instances for at least the time asked", "[sims][graphs_bench]") {
  const auto r = bench_shortest_path_instances(10, 0.3, 0.05);
  REQUIRE(r.instances > 0);
  REQUIRE(r.seconds >= 0.05);
  REQUIRE(r.per_second() == Approx(r.instances / r.seconds));
}

TEST_CASE("graphs_bench: times one calibration and returns it", "[sims][graphs_bench]") {
  const auto r = bench_calibration(30, 2.5);
  REQUIRE(r.seconds > 0);
  REQUIRE(std::abs(r.calibration.achieved_mean - 2.5) <= 0.05);
  REQUIRE(r.calibration.achieved_se > 0);
  REQUIRE(calibration_target_seconds(200) == 0.5);
  REQUIRE(calibration_target_seconds(5000) == 30.0);
  REQUIRE(calibration_target_seconds(30) == 0.0);
}

TEST_CASE("graphs_bench: the export path formats whole rounds of 8,192 instances per thread", "[sims][graphs_bench]") {
  const auto one = bench_shortest_path_export(10, 0.3, 0.0, 1);
  REQUIRE(one.instances == 8192);  // at least one round, however short the time asked
  REQUIRE(one.bytes > one.instances * 40);  // {"nodes":10,"edges":[...],...}: at least 40 characters a line
  const auto two = bench_shortest_path_export(10, 0.3, 0.01, 2);
  REQUIRE(two.instances > 0);
  REQUIRE(two.instances % 16384 == 0);
}
