#include <catch2/catch.hpp>

#include "bench/attention_bench.hpp"

using namespace moesim::sims;

TEST_CASE("attention_bench: both paths run and compute the same layer up to fp32 rounding", "[sims][attention_bench]") {
  for (bool causal : {true, false}) {
    const auto r = bench_attention(2, 19, 16, 2, causal, 1, "cpu");
    INFO((causal ? "causal" : "bidirectional") << ": " << r.max_difference);
    REQUIRE(r.max_difference > 0);  // two summation orders: the comparison saw both paths' numbers
    REQUIRE(r.max_difference < 1e-5);
  }
}
