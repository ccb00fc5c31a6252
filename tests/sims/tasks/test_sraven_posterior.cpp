// The ceiling of SRAVEN problems built by hand: one reading (the ceiling is 1), two rules that fit the same
// eight panels and predict different ninth panels, and two slot assignments that do.
#include <catch2/catch.hpp>

#include "tasks/sraven_posterior.hpp"

using namespace moesim::sims;

namespace sraven_posterior_test {

// Panels from each feature's 3x3 grid of values (rows), shown in slot order per column: perms[c][f].
SravenProblem problem(const std::vector<std::array<int, 9>>& features, const std::array<std::vector<int>, 3>& perms) {
  SravenProblem p;
  p.features = int(features.size());
  p.perms = perms;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      p.panels[3 * r + c].assign(p.features, 0);
      for (int f = 0; f < p.features; ++f) p.panels[3 * r + c][perms[c][f]] = features[f][3 * r + c];
    }
  return p;
}

}  // namespace sraven_posterior_test

using sraven_posterior_test::problem;

TEST_CASE("sraven_posterior: one reading fits, the ceiling is 1", "[sims][sraven_posterior]") {
  // progression +1, rows 0 1 2 / 3 4 5 / 6 7 ?: only progression +1 fits (any pool), the ninth is 0.
  const auto p = problem({{0, 1, 2, 3, 4, 5, 6, 7, 0}}, {std::vector<int>{0}, {0}, {0}});
  std::set<std::vector<int>> singletons;
  for (int r = 0; r < kSravenRules; ++r) singletons.insert({r});
  const auto post = sraven_posterior(p, singletons);
  REQUIRE(post.readings == 1);
  REQUIRE(post.unique);
  REQUIRE(post.best == 1.0);
  REQUIRE(post.guess == std::vector<int>{0});
}

TEST_CASE("sraven_posterior: two rules fit and predict differently, weighted by their likelihood", "[sims][sraven_posterior]") {
  // Rows 1 2 3 / 1 2 3 / 5 6 ?: progression +1 (ninth 7) and addition (ninth 5 + 6 = 3 mod 8) both fit.
  // Their likelihoods: (1/8)^3 against (1/64)^3, so the posterior of 7 is 512 / 513.
  const auto p = problem({{1, 2, 3, 1, 2, 3, 5, 6, 7}}, {std::vector<int>{0}, {0}, {0}});
  const auto post = sraven_posterior(p, {{1}, {5}});
  REQUIRE(post.readings == 2);
  REQUIRE_FALSE(post.unique);
  REQUIRE(post.best == Approx(512.0 / 513.0).epsilon(1e-12));
  REQUIRE(post.guess == std::vector<int>{7});
  // With addition alone in the split, its answer is the only one.
  const auto addition = sraven_posterior(p, {{5}});
  REQUIRE(addition.readings == 1);
  REQUIRE(addition.guess == std::vector<int>{3});
}

TEST_CASE("sraven_posterior: two slot assignments fit and predict differently", "[sims][sraven_posterior]") {
  // Two constant features that agree on rows 0 and 1 (1, then 2) and differ on row 2 (3 and 5): in
  // column 2 nothing tells which slot is which, so the ninth panel is [3, 5] or [5, 3], one half each.
  const auto p = problem({{1, 1, 1, 2, 2, 2, 3, 3, 3}, {1, 1, 1, 2, 2, 2, 5, 5, 5}},
                         {std::vector<int>{0, 1}, {0, 1}, {0, 1}});
  const auto post = sraven_posterior(p, {{0, 0}});
  REQUIRE(post.readings == 2);
  REQUIRE_FALSE(post.unique);
  REQUIRE(post.best == Approx(0.5));
  // Swap column 1's slots: column 1's row 2 still tells the features apart, the ambiguity stays in column 2.
  const auto swapped = problem({{1, 1, 1, 2, 2, 2, 3, 3, 3}, {1, 1, 1, 2, 2, 2, 5, 5, 5}},
                               {std::vector<int>{0, 1}, {1, 0}, {0, 1}});
  REQUIRE(sraven_posterior(swapped, {{0, 0}}).readings == 2);
}

TEST_CASE("sraven_posterior: the likelihood of a feature's nine values under each rule", "[sims][sraven_posterior]") {
  REQUIRE(sraven_track_probability(0, {4, 4, 4, 0, 0, 0, 7, 7, 7}) == Approx(1.0 / 512));
  REQUIRE(sraven_track_probability(6, {5, 2, 3, 1, 4, 5, 0, 0, 0}) == Approx(1.0 / 262144));  // a - b mod 8
  REQUIRE(sraven_track_probability(7, {1, 5, 2, 5, 2, 1, 2, 1, 5}) == Approx(1.0 / (56 * 216)));
  REQUIRE(sraven_track_probability(7, {1, 5, 2, 5, 2, 1, 2, 1, 6}) == 0.0);  // the last row leaves the set
  REQUIRE(sraven_track_probability(3, {2, 1, 0, 0, 7, 6, 5, 4, 3}) == Approx(1.0 / 512));  // progression -1
}
