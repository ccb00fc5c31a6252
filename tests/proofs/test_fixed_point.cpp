#include <catch2/catch.hpp>
#include <cmath>

#include "graphs/encode.hpp"
#include "proofs/fixed_point.hpp"

using namespace moesim;

TEST_CASE("fixed point: rounding and the bits the dense construction needs", "[proofs][fixed_point]") {
  REQUIRE(proofs::round_fixed(0.3, 2) == 0.25);
  REQUIRE(proofs::round_fixed(-1.4, 1) == -1.5);
  // The construction needs about log2 N fractional bits (N = 2(n-2)+1 tokens), and at least 1.
  for (int n : {4, 6, 8}) {
    const int b = proofs::smallest_fixed_point_bits(n);
    const double log_n = std::log2(double(graphs::Length2Vocab{n}.length()));
    INFO("n = " << n << ": smallest b = " << b << ", log2 N = " << log_n);
    REQUIRE(b >= 1);
    REQUIRE(b <= int(std::ceil(log_n)) + 2);
  }
}
