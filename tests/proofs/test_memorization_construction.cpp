#include <catch2/catch.hpp>

#include "proofs/memorization_construction.hpp"

using namespace moesim;

TEST_CASE("memorization construction: every label is memorised, for several expert counts", "[proofs][memorization_construction]") {
  auto be = models::make_cpu_backend<double>();
  for (int K : {1, 4, 16}) {
    const auto run = proofs::memorize_gaussian(*be, 400, 8, 8, K, 3);
    INFO("K = " << K << ": memorised " << run.memorized << " of " << run.samples << ", max load " << run.max_load);
    REQUIRE(run.ok());
    REQUIRE(run.active_params <= run.total_params);
  }
  // More experts: fewer active parameters (the busiest expert shrinks) at the same total.
  const auto one = proofs::memorize_gaussian(*be, 400, 8, 8, 1, 3);
  const auto many = proofs::memorize_gaussian(*be, 400, 8, 8, 16, 3);
  REQUIRE(many.active_params < one.active_params / 2);
}
