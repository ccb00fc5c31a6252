#include <catch2/catch.hpp>

#include <cmath>

#include "proofs/memorization_construction.hpp"

using namespace moesim;

TEST_CASE("memorization construction: every label is memorised, for several expert counts", "[proofs][memorization_construction]") {
  auto be = models::make_cpu_backend<double>();
  for (int K : {1, 4, 16}) {
    const auto run = proofs::memorize_gaussian(*be, 400, 8, 8, K, 3);
    INFO("K = " << K << ": memorised " << run.memorized << " of " << run.samples << ", max load " << run.max_load);
    REQUIRE(run.ok());
    REQUIRE(run.active_params <= run.total_params);
    // Each bump's three neurons carry up to m minority samples: at most half the load is minority.
    REQUIRE(run.hidden <= 3 * ((run.max_load / 2 + 8 - 1) / 8) + 1);
  }
  // More experts: fewer active parameters (the busiest expert shrinks).
  const auto one = proofs::memorize_gaussian(*be, 400, 8, 8, 1, 3);
  const auto many = proofs::memorize_gaussian(*be, 400, 8, 8, 16, 3);
  REQUIRE(many.active_params < one.active_params / 2);
}

TEST_CASE("memorization construction: active parameters grow like sqrt(n m) at K = sqrt(n/m)", "[proofs][memorization_construction]") {
  auto be = models::make_cpu_backend<double>();
  const int m = 8;
  double first = 0, last = 0;
  for (int n : {128, 512, 2048}) {
    const int K = int(std::lround(std::sqrt(double(n) / m)));
    const auto run = proofs::memorize_gaussian(*be, n, 4, m, K, 11);
    REQUIRE(run.ok());
    const double ratio = double(run.active_params) / std::sqrt(double(n) * m);
    (first == 0 ? first : last) = ratio;
    INFO("n = " << n << " K = " << K << ": active / sqrt(n m) = " << ratio);
    CHECK(ratio < 5.0);
  }
  // n grew 16x: sqrt(n m) grew 4x, and so did the active count, not 16x.
  REQUIRE(last < 1.5 * first);
}
