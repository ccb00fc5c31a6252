#pragma once
// Confidence intervals over seeds by the bootstrap: the seeds are resampled with replacement, the statistic
// is recomputed on each resample, and the 2.5% and 97.5% quantiles of the replicates bound the interval
// (the percentile interval). The resampling stream is fixed, so the same data always give the same
// interval; a replicate whose statistic is NaN (e.g. nothing left to fit) is left out.
#include <cmath>
#include <functional>
#include <vector>

namespace moesim::sims {

struct Interval {
  double low = NAN, high = NAN;
  int replicates = 0;  // resamples whose statistic was a number
};

inline constexpr int kBootstrapResamples = 4000;

// `statistic(picks)`: the statistic of one resample, `picks` the indices of the seeds drawn (n of them,
// with repeats).
Interval bootstrap(int seeds, const std::function<double(const std::vector<int>& picks)>& statistic,
                   double level = 0.95, int resamples = kBootstrapResamples);
Interval bootstrap_mean(const std::vector<double>& values, double level = 0.95);

// The q-quantile of `sorted` (ascending), linearly interpolated.
double quantile(const std::vector<double>& sorted, double q);

}  // namespace moesim::sims
