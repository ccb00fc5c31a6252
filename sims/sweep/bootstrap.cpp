#include "sweep/bootstrap.hpp"

#include <algorithm>
#include <cmath>

#include "graphs/rng.hpp"

namespace moesim::sims {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double at = q * double(sorted.size() - 1);
  const size_t i = size_t(at);
  if (i + 1 >= sorted.size()) return sorted.back();
  const double f = at - double(i), a = sorted[i], b = sorted[i + 1];
  if (f == 0 || a == b) return a;
  if (std::isinf(a) || std::isinf(b)) return f < 0.5 ? a : b;  // no line between infinities: the nearer end
  return a + f * (b - a);
}

Interval bootstrap(int seeds, const std::function<double(const std::vector<int>&)>& statistic, double level,
                   int resamples) {
  Interval out;
  if (seeds < 1) return out;
  graphs::Rng rng(0xB0075, uint64_t(seeds));  // fixed: the same data give the same interval
  std::vector<double> replicates;
  std::vector<int> picks(seeds);
  for (int r = 0; r < resamples; ++r) {
    for (int& p : picks) p = int(rng.below(uint64_t(seeds)));
    const double v = statistic(picks);
    if (!std::isnan(v)) replicates.push_back(v);
  }
  std::sort(replicates.begin(), replicates.end());
  out.replicates = int(replicates.size());
  out.low = quantile(replicates, (1 - level) / 2);
  out.high = quantile(replicates, 1 - (1 - level) / 2);
  return out;
}

Interval bootstrap_mean(const std::vector<double>& values, double level) {
  return bootstrap(int(values.size()), [&](const std::vector<int>& picks) {
    double s = 0;
    for (int i : picks) s += values[i];
    return s / double(picks.size());
  }, level);
}

}  // namespace moesim::sims
