#include <catch2/catch.hpp>

#include "models/balance_loss.hpp"

using namespace moesim::models;

TEST_CASE("balance_terms: uniform routing costs coef, the gradient follows the counts", "[models][balance_loss]") {
  // 4 tokens, 2 experts, k = 1, perfectly balanced: f = P = (1/2, 1/2), loss = coef * 2 * (1/4 + 1/4).
  const std::vector<double> sums{2.0, 2.0};
  const int offsets[] = {0, 2, 4};
  const auto t = balance_terms(sums, offsets, 4, 1, 0.01);
  REQUIRE(t.loss == Approx(0.01));
  REQUIRE(t.dprob[0] == Approx(0.01 * 2 * 0.5 / 4));
  // Everything on expert 0: f = (1, 0) and the gradient vanishes for expert 1.
  const int skewed[] = {0, 4, 4};
  const auto s = balance_terms({3.0, 1.0}, skewed, 4, 1, 0.01);
  REQUIRE(s.loss == Approx(0.01 * 2 * 0.75));
  REQUIRE(s.dprob[1] == 0.0);
}
