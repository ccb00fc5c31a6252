#include "tasks/sraven_posterior.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <numeric>

namespace moesim::sims {
namespace {


double row_probability(int rule, int a, int b, int c) {
  switch (rule) {
    case 0: return a == b && b == c ? 1.0 / 8 : 0.0;
    case 1: case 2: case 3: case 4: {
      const int delta = rule == 1 ? 1 : rule == 2 ? 2 : rule == 3 ? -1 : -2;
      return b == sraven_mod(a + delta) && c == sraven_mod(a + 2 * delta) ? 1.0 / 8 : 0.0;
    }
    case 5: return c == sraven_mod(a + b) ? 1.0 / 64 : 0.0;
    case 6: return c == sraven_mod(a - b) ? 1.0 / 64 : 0.0;
    default: return 0.0;  // distribute-three: a set across rows, handled apart
  }
}

// The ninth value of a feature under `rule`, given its first eight, if the rule allows one (-1 if not).
int ninth(int rule, const std::array<int, 9>& v) {
  std::array<int, 9> w = v;
  for (int x = 0; x < kSravenValues; ++x) {
    w[8] = x;
    if (sraven_track_probability(rule, w) > 0) return x;  // every rule fixes the last value of a row
  }
  return -1;
}

}  // namespace

double sraven_track_probability(int rule, const std::array<int, 9>& v) {
  if (rule != 7) {
    double p = 1;
    for (int r = 0; r < 3; ++r) p *= row_probability(rule, v[3 * r], v[3 * r + 1], v[3 * r + 2]);
    return p;
  }
  std::array<int, 3> set{v[0], v[1], v[2]};
  std::sort(set.begin(), set.end());
  if (set[0] == set[1] || set[1] == set[2]) return 0.0;  // three distinct values
  for (int r = 1; r < 3; ++r) {
    std::array<int, 3> row{v[3 * r], v[3 * r + 1], v[3 * r + 2]};
    std::sort(row.begin(), row.end());
    if (row != set) return 0.0;
  }
  return (1.0 / 56) * (1.0 / 216);  // the set, then each row's order (1/6 each)
}

SravenPosterior sraven_posterior(const SravenProblem& p, const std::set<std::vector<int>>& multisets, long limit) {
  const int K = p.features;
  // Candidate tracks: slot i of column 0, j of column 1, k of column 2 carrying one feature; per rule of the
  // pool, its ninth value and the probability of its nine values.
  struct Option {
    int rule, value;
    double probability;
  };
  std::vector<int> rules_in_pool;
  for (const auto& m : multisets)
    for (int r : m)
      if (std::find(rules_in_pool.begin(), rules_in_pool.end(), r) == rules_in_pool.end()) rules_in_pool.push_back(r);
  std::vector<std::vector<Option>> options(size_t(K) * K * K);
  for (int i = 0; i < K; ++i)
    for (int j = 0; j < K; ++j)
      for (int k = 0; k < K; ++k) {
        std::array<int, 9> v{};
        const int slot[3] = {i, j, k};
        for (int r = 0; r < 3; ++r)
          for (int c = 0; c < 3; ++c) v[3 * r + c] = r == 2 && c == 2 ? 0 : p.panels[3 * r + c][slot[c]];
        for (int rule : rules_in_pool) {
          const int x = ninth(rule, v);
          if (x < 0) continue;
          v[8] = x;
          options[(size_t(i) * K + j) * K + k].push_back({rule, x, sraven_track_probability(rule, v)});
        }
      }
  // Backtracking over column 0's slots: pick unused slots j, k for it, then a rule for the track.
  SravenPosterior out;
  std::map<std::vector<int>, double> by_panel;  // ninth panel -> its posterior weight
  std::vector<char> used1(K, 0), used2(K, 0);
  std::vector<int> rule_of(K), value_of(K);  // per column-0 slot
  std::vector<int> slot2_of(K);
  double total = 0;
  auto finish = [&](double weight) {
    std::vector<int> rules(rule_of);
    std::sort(rules.begin(), rules.end());
    if (!multisets.count(rules)) return;
    double ways = 1;  // the product of m! over the rules' multiplicities
    for (size_t a = 0; a < rules.size();) {
      size_t b = a;
      while (b < rules.size() && rules[b] == rules[a]) ++b;
      for (size_t f = 2; f <= b - a; ++f) ways *= double(f);
      a = b;
    }
    std::vector<int> panel(K);
    for (int i = 0; i < K; ++i) panel[slot2_of[i]] = value_of[i];
    by_panel[panel] += weight * ways;
    total += weight * ways;
    ++out.readings;
  };
  std::function<void(int, double)> extend = [&](int i, double weight) {
    if (out.readings >= limit) return;
    if (i == K) return finish(weight);
    for (int j = 0; j < K; ++j) {
      if (used1[j]) continue;
      for (int k = 0; k < K; ++k) {
        if (used2[k]) continue;
        for (const Option& o : options[(size_t(i) * K + j) * K + k]) {
          used1[j] = used2[k] = 1;
          rule_of[i] = o.rule, value_of[i] = o.value, slot2_of[i] = k;
          extend(i + 1, weight * o.probability);
          used1[j] = used2[k] = 0;
        }
      }
    }
  };
  extend(0, 1.0);
  out.truncated = out.readings >= limit;
  if (total <= 0) return out;
  for (const auto& [panel, weight] : by_panel)
    if (weight / total > out.best) out.best = weight / total, out.guess = panel;
  out.unique = by_panel.size() == 1;
  return out;
}

}  // namespace moesim::sims
