#include <catch2/catch.hpp>

#include "bench/train_bench.hpp"

using namespace moesim::sims;
using moesim::models::TransformerConfig;

TEST_CASE("train_bench: four CPU configurations, the paper's scale adds d=256 L=12 B=32 T=256 with E = 8, 64",
          "[sims][train_bench]") {
  const auto cpu = train_bench_cases(false);
  REQUIRE(cpu.size() == 4);
  const auto gpu = train_bench_cases(true);
  REQUIRE(gpu.size() > cpu.size());
  int paper_moe = 0;
  for (size_t i = cpu.size(); i < gpu.size(); ++i) {
    const auto& c = gpu[i];
    REQUIRE((c.config.d == 256 && c.config.layers == 12 && c.B == 32 && c.T == 256));
    if (c.config.experts > 0) {
      REQUIRE(c.config.top_k == 2);
      paper_moe += c.config.experts == 8 || c.config.experts == 64;
    }
  }
  REQUIRE(paper_moe == 2);
}

TEST_CASE("train_bench: FLOPs per token count the active experts, the router and attention's T x d products",
          "[sims][train_bench]") {
  const TransformerConfig dense{.vocab = 32, .d = 64, .layers = 2, .heads = 4};
  TransformerConfig moe = dense;
  moe.experts = 8, moe.top_k = 1;
  const double F = dense.hidden(), d = dense.d, L = dense.layers;
  // top-1 runs one expert, as the dense FFN does, plus the router's (E, d) product.
  REQUIRE(forward_flops_per_token(moe, 16) == Approx(forward_flops_per_token(dense, 16) + 2 * L * 8 * d));
  moe.top_k = 2;  // a second expert: its SwiGLU's three (F, d) products
  REQUIRE(forward_flops_per_token(moe, 16) == Approx(forward_flops_per_token(dense, 16) + 2 * L * 8 * d + 2 * L * 3 * F * d));
  // Scores and mixing: 2 * 2 * T * d per layer and token.
  REQUIRE(forward_flops_per_token(dense, 32) - forward_flops_per_token(dense, 16) == Approx(4 * L * 16 * d));
}
