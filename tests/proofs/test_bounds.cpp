#include <catch2/catch.hpp>
#include <cmath>

#include "proofs/bounds.hpp"

using namespace moesim::proofs;

TEST_CASE("bounds: the formulas of Thm 3.2-3.6 on hand-computed values", "[proofs][bounds]") {
  REQUIRE(moe_width_lower_bound(64, 16) == Approx(16.0));  // 64 / log2(16)
  REQUIRE(moe_width_lower_bound(64, 16, 0.5) == Approx(8.0));
  REQUIRE(dense_width_upper_bound(50) == 50);
  REQUIRE(protocol_bits(2, 7, 16) == 2 * 8 * 16);
  REQUIRE(protocol_width_lower_bound(34, 2, 4) == Approx(32.0 / 8 - 1));
  // K > (H log2 N / c)^2 with N = 16, H = 1: K > 16
  REQUIRE(breaking_expert_count(16, 1) == 17);
  REQUIRE(breaking_expert_count(16, 2) == 65);
  const auto m = moe_memorization_params(1000, 4, 10);  // ceil(1000/40) = 25 neurons of 12 params; router 40
  REQUIRE(m.active == 40 + 25 * 12);
  REQUIRE(m.total == 40 + 4 * 25 * 12);
  REQUIRE(dense_memorization_lower_bound(1000, 2.0) == Approx(500.0));
}

TEST_CASE("bounds: at K = sqrt(n/m) the active count grows like sqrt(n*m)", "[proofs][bounds]") {
  const int z = 16;
  for (long n : {1024L, 4096L, 16384L, 65536L}) {
    const int K = int(std::lround(std::sqrt(double(n) / z)));
    const double ratio = double(moe_memorization_params(n, K, z).active) / std::sqrt(double(n) * z);
    INFO("n = " << n << " K = " << K << " active / sqrt(n m) = " << ratio);
    REQUIRE(ratio > 1.0);
    REQUIRE(ratio < 4.0);  // bounded: O(sqrt(n m))
  }
}
