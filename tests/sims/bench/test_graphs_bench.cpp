#include <catch2/catch.hpp>

#include "bench/graphs_bench.hpp"

using namespace moesim::sims;

TEST_CASE("graphs_bench: generates instances for at least the time asked", "[sims][graphs_bench]") {
  const auto r = bench_shortest_path_instances(10, 0.3, 0.05);
  REQUIRE(r.instances > 0);
  REQUIRE(r.seconds >= 0.05);
  REQUIRE(r.per_second() == Approx(r.instances / r.seconds));
}
