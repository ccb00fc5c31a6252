// SRAVEN: every problem obeys its rules under its permutations (checked here independently of the
// generator), the splits never mix, the OOD set holds exactly the held-out multisets, same seed same data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tasks/sraven.hpp"

using namespace moesim::sims;

namespace {

// The independent checker: undo each column's permutation, then test each row against the rule.
bool obeys(const SravenProblem& p) {
  const int K = p.features, F = kSravenValues;
  auto mod = [F](int v) { return ((v % F) + F) % F; };
  for (int c = 0; c < 3; ++c) {  // each column's slots: a permutation of 0..K-1
    std::vector<int> slots = p.perms[c];
    std::sort(slots.begin(), slots.end());
    for (int f = 0; f < K; ++f)
      if (slots[f] != f) return false;
  }
  for (int f = 0; f < K; ++f) {
    std::set<int> distribute;
    for (int r = 0; r < 3; ++r) {
      int v[3];
      for (int c = 0; c < 3; ++c) {
        v[c] = p.panels[3 * r + c][p.perms[c][f]];
        if (v[c] < 0 || v[c] >= F) return false;
      }
      const int rule = p.rules[f];
      const int deltas[] = {0, 1, 2, -1, -2};
      bool ok = false;
      if (rule == 0) ok = v[0] == v[1] && v[1] == v[2];
      else if (rule <= 4) ok = v[1] == mod(v[0] + deltas[rule]) && v[2] == mod(v[0] + 2 * deltas[rule]);
      else if (rule == 5) ok = v[2] == mod(v[0] + v[1]);
      else if (rule == 6) ok = v[2] == mod(v[0] - v[1]);
      else {
        ok = v[0] != v[1] && v[1] != v[2] && v[0] != v[2];
        std::set<int> row{v[0], v[1], v[2]};
        if (r == 0) distribute = row;
        ok = ok && row == distribute;  // every row a permutation of the same three values
      }
      if (!ok) return false;
    }
  }
  return std::is_sorted(p.rules.begin(), p.rules.end());
}

}  // namespace

TEST_CASE("sraven: every generated problem obeys its rules under its permutations", "[sims][sraven]") {
  for (int K : {2, 3, 4, 6}) {
    const auto splits = sraven_splits(K, kSravenRules, 7);
    for (auto split : {SravenSplit::Train, SravenSplit::Test, SravenSplit::Ood})
      for (uint64_t i = 0; i < 300; ++i) {
        const auto p = sraven_problem(splits, K, split, 7, i);
        INFO("K = " << K << " problem " << i);
        REQUIRE(int(p.rules.size()) == K);
        REQUIRE(obeys(p));
        const auto t = sraven_tokens(p);
        REQUIRE(int(t.size()) == 9 * K);
        REQUIRE(std::count(t.begin(), t.end(), kSravenQuery) == K);
      }
  }
  // The checker is not vacuous: a changed value breaks a rule.
  const auto splits = sraven_splits(3, kSravenRules, 1);
  auto p = sraven_problem(splits, 3, SravenSplit::Train, 1, 0);
  p.panels[2][0] = (p.panels[2][0] + 1) % kSravenValues;
  REQUIRE_FALSE(obeys(p));
}

TEST_CASE("sraven: the splits never mix and the OOD set holds exactly the held-out multisets", "[sims][sraven]") {
  for (int K : {2, 4}) {
    const auto splits = sraven_splits(K, kSravenRules, 11);
    const size_t total = splits.in_distribution.size() + splits.held_out.size();
    REQUIRE(total == (K == 2 ? 36u : 330u));  // multisets of K out of 8
    REQUIRE(splits.held_out.size() == total / 4);  // floor(n / 4), as the authors' code: 9 of 36, 82 of 330
    const std::set<std::vector<int>> held(splits.held_out.begin(), splits.held_out.end());
    std::set<std::vector<int>> seen_ood;
    for (uint64_t i = 0; i < 4000; ++i) {
      REQUIRE_FALSE(held.count(sraven_problem(splits, K, SravenSplit::Train, 3, i).rules));
      REQUIRE_FALSE(held.count(sraven_problem(splits, K, SravenSplit::Test, 3, i).rules));
      const auto ood = sraven_problem(splits, K, SravenSplit::Ood, 3, i).rules;
      REQUIRE(held.count(ood));
      seen_ood.insert(ood);
    }
    REQUIRE(seen_ood == held);  // drawn uniformly: every held-out multiset shows up
  }
}

TEST_CASE("sraven: the split follows its seed, keeps every rule on both sides, and refuses what cannot", "[sims][sraven]") {
  REQUIRE(sraven_splits(3, kSravenRules, 5).held_out == sraven_splits(3, kSravenRules, 5).held_out);
  int differ = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const auto a = sraven_splits(3, kSravenRules, seed), b = sraven_splits(3, kSravenRules, seed + 100);
    differ += a.held_out != b.held_out;
    REQUIRE(a.held_out.size() == 120 / 4);
    for (const auto* side : {&a.held_out, &a.in_distribution}) {
      std::set<int> rules;
      for (const auto& m : *side) rules.insert(m.begin(), m.end());
      REQUIRE(rules.size() == size_t(kSravenRules));  // every rule on both sides
    }
  }
  REQUIRE(differ == 10);
  // K = 2 over 4 rules: 10 multisets, 2 held out, redrawn until both sides have all four rules.
  const auto small = sraven_splits(2, 4, 1);
  REQUIRE(small.held_out.size() == 2);
  std::set<int> held;
  for (const auto& m : small.held_out) held.insert(m.begin(), m.end());
  REQUIRE(held.size() == 4);
  REQUIRE_THROWS_WITH(sraven_splits(2, 1, 0), Catch::Contains("no split"));        // one multiset: nothing to hold out
  REQUIRE_THROWS_WITH(sraven_splits(1, 8, 0), Catch::Contains("--features >= 2"));  // each rule its own multiset
  REQUIRE_THROWS_WITH(sraven_splits(2, 3, 0), Catch::Contains("every rule on both sides"));  // 1 of 6 held out
}

TEST_CASE("sraven: the same seed gives the same problems, streams differ by split and seed", "[sims][sraven]") {
  const auto splits = sraven_splits(4, kSravenRules, 5);
  const auto a = sraven_problem(splits, 4, SravenSplit::Train, 5, 17);
  const auto b = sraven_problem(splits, 4, SravenSplit::Train, 5, 17);
  REQUIRE(a.panels == b.panels);
  REQUIRE(a.perms == b.perms);
  int differ_split = 0, differ_seed = 0;
  for (uint64_t i = 0; i < 50; ++i) {
    differ_split += sraven_problem(splits, 4, SravenSplit::Train, 5, i).panels != sraven_problem(splits, 4, SravenSplit::Test, 5, i).panels;
    differ_seed += sraven_problem(splits, 4, SravenSplit::Train, 5, i).panels != sraven_problem(splits, 4, SravenSplit::Train, 6, i).panels;
  }
  REQUIRE(differ_split == 50);
  REQUIRE(differ_seed == 50);
}
