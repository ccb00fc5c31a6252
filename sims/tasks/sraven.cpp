#include "tasks/sraven.hpp"

#include <fmt/ranges.h>
#include <iterator>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "graphs/rng.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {


void multisets(int features, int pool, int from, std::vector<int>& cur, std::vector<std::vector<int>>& out) {
  if (int(cur.size()) == features) {
    out.push_back(cur);
    return;
  }
  for (int r = from; r < pool; ++r) {
    cur.push_back(r);
    multisets(features, pool, r, cur, out);
    cur.pop_back();
  }
}

}  // namespace

const char* sraven_rule_name(int rule) {
  static const char* names[kSravenRules] = {"constant",      "progression+1", "progression+2", "progression-1",
                                            "progression-2", "addition",      "subtraction",   "distribute-three"};
  return rule >= 0 && rule < kSravenRules ? names[rule] : "?";
}

SravenSplits sraven_splits(int features, int pool, uint64_t split_seed, double held_fraction) {
  if (pool < 1 || pool > kSravenRules)
    throw UsageError("SRAVEN: a rule pool of " + std::to_string(pool) + " (accepted: 1 to " +
                     std::to_string(kSravenRules) + " rules)");
  std::vector<std::vector<int>> all;
  std::vector<int> cur;
  multisets(features, pool, 0, cur, all);
  const size_t held = size_t(std::floor(held_fraction * double(all.size())));
  const std::string what = std::to_string(all.size()) + " multisets of " + std::to_string(features) +
                           " rules from a pool of " + std::to_string(pool);
  if (held == 0 || held >= all.size())
    throw UsageError("SRAVEN: " + what + " leave no split with problems on both sides (accepted: more rules in the "
                     "pool or more features, so that a quarter of the multisets can be held out)");
  if (features < 2 && pool > 1)
    throw UsageError("SRAVEN: with one feature each rule is one multiset, so a held-out rule never reaches training "
                     "(accepted: --features >= 2)");
  // The pool has at most kSravenRules (8) rules, so one bit per rule.
  auto covers = [&](const std::vector<std::vector<int>>& side) {
    uint32_t seen = 0;
    for (const auto& m : side)
      for (int r : m) seen |= 1u << r;
    return seen == (1u << pool) - 1u;
  };
  for (int attempt = 0; attempt < 100000; ++attempt) {
    std::vector<size_t> order(all.size());
    std::iota(order.begin(), order.end(), 0);
    graphs::Rng rng(split_seed ^ 0x5A7E5EEDull, uint64_t(attempt));
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    std::vector<char> is_held(all.size(), 0);
    for (size_t i = 0; i < held; ++i) is_held[order[i]] = 1;
    SravenSplits s{.split_seed = split_seed, .attempt = attempt};
    for (size_t i = 0; i < all.size(); ++i) (is_held[i] ? s.held_out : s.in_distribution).push_back(all[i]);
    if (covers(s.held_out) && covers(s.in_distribution)) return s;
  }
  throw UsageError("SRAVEN: " + what + ": no split of " + std::to_string(held) +
                   " held out has every rule on both sides (accepted: a larger pool or more features)");
}

SravenProblem sraven_problem(const SravenSplits& splits, int K, SravenSplit split, uint64_t seed, uint64_t index) {
  graphs::Rng rng(graphs::Rng(seed, 0x5A7E0 + uint64_t(split)).next() ^ index, index);
  const auto& pool = split == SravenSplit::Ood ? splits.held_out : splits.in_distribution;
  SravenProblem p;
  p.features = K;
  p.rules = pool[rng.below(pool.size())];
  // values[r][c][f]
  std::array<std::array<std::vector<int>, 3>, 3> values;
  for (auto& row : values)
    for (auto& v : row) v.assign(K, 0);
  for (int f = 0; f < K; ++f) {
    const int rule = p.rules[f];
    std::array<int, 3> three{};  // distribute-three: one set of distinct values per problem
    if (rule == 7) {
      std::array<int, kSravenValues> all{};
      std::iota(all.begin(), all.end(), 0);
      for (int i = 0; i < 3; ++i) std::swap(all[i], all[i + rng.below(kSravenValues - i)]);
      std::copy(all.begin(), all.begin() + 3, three.begin());
    }
    for (int r = 0; r < 3; ++r) {
      int row[3];
      const int a = int(rng.below(kSravenValues)), b = int(rng.below(kSravenValues));
      switch (rule) {
        case 0: row[0] = row[1] = row[2] = a; break;
        case 1: case 2: case 3: case 4: {
          const int delta = rule == 1 ? 1 : rule == 2 ? 2 : rule == 3 ? -1 : -2;
          row[0] = a, row[1] = sraven_mod(a + delta), row[2] = sraven_mod(a + 2 * delta);
          break;
        }
        case 5: row[0] = a, row[1] = b, row[2] = sraven_mod(a + b); break;
        case 6: row[0] = a, row[1] = b, row[2] = sraven_mod(a - b); break;
        default: {  // an independent permutation of the problem's three values
          std::array<int, 3> perm = three;
          for (int i = 0; i < 2; ++i) std::swap(perm[i], perm[i + rng.below(3 - i)]);
          std::copy(perm.begin(), perm.end(), row);
        }
      }
      for (int c = 0; c < 3; ++c) values[r][c][f] = row[c];
    }
  }
  for (int c = 0; c < 3; ++c) {
    p.perms[c].resize(K);
    std::iota(p.perms[c].begin(), p.perms[c].end(), 0);
    for (int i = K; i > 1; --i) std::swap(p.perms[c][i - 1], p.perms[c][rng.below(uint64_t(i))]);
  }
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      auto& panel = p.panels[3 * r + c];
      panel.assign(K, 0);
      for (int f = 0; f < K; ++f) panel[p.perms[c][f]] = values[r][c][f];
    }
  return p;
}

std::vector<int> sraven_tokens(const SravenProblem& p) {
  std::vector<int> t;
  for (int i = 0; i < 8; ++i) t.insert(t.end(), p.panels[i].begin(), p.panels[i].end());
  t.insert(t.end(), p.features, kSravenQuery);
  return t;
}

void append_sraven_jsonl(fmt::memory_buffer& out, const SravenProblem& p) {
  auto it = std::back_inserter(out);
  auto list = [&](const std::vector<int>& v) { fmt::format_to(it, "[{}]", fmt::join(v, ",")); };
  fmt::format_to(it, "{{\"features\":{},\"rules\":", p.features);
  list(p.rules);
  out.append(std::string_view(",\"perms\":["));
  for (size_t c = 0; c < p.perms.size(); ++c) {
    if (c) out.push_back(',');
    list(p.perms[c]);
  }
  out.append(std::string_view("],\"panels\":["));
  for (size_t i = 0; i < p.panels.size(); ++i) {
    if (i) out.push_back(',');
    list(p.panels[i]);
  }
  out.append(std::string_view("],\"target\":"));
  list(p.target());
  out.append(std::string_view("}\n"));
}

}  // namespace moesim::sims
