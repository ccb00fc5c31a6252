#pragma once
// A section's results as the CSV its figure is drawn from: one row per point, with the spread over seeds
// and the theory's values beside the measurements (from proofs/bounds.hpp).
//
// Every CSV starts with: figure (the kind), series (the point's label), the axis values, seeds, failed,
// total_params and active_params (non-embedding). Then, for a section with a search:
//   search_key, search_min, search_max, found, censored, none_in_range, value_majority, value_ci_low, value_ci_high,
//   value_min, value_max, test_at_value, train_at_value
// where a seed's value is its smallest (largest) passing value, value_majority is the value reached by a
// majority of the seeds (the median of the seeds' values; empty when no majority passes anywhere in the
// range [search_min, search_max]: a censored point, not a missing one), value_ci_low/high is the 95%
// bootstrap interval of that majority value over the seeds ("inf" where resamples reach no value in range),
// "censored" counts seeds whose value is an end of the range (the truth lies beyond it), "none_in_range"
// the seeds that ran and passed nowhere in the range (so found + censored + none_in_range + failed = seeds), and
// test/train_at_value average the runs at each seed's value. For a plain section:
//   diverged, test_mean, test_min, test_max, test_ci_low, test_ci_high, train_mean, train_min, train_max
// then NAME_mean, NAME_min, NAME_max, NAME_ci_low, NAME_ci_high for each task-specific metric the records
// carry (SRAVEN: id, ood, id_feature, ...), then baseline_NAME for each trivial baseline the records carry
// (the mean over seeds; SRAVEN's ceilings among them). Every interval is the 95% percentile bootstrap over seeds
// (sweep/bootstrap.hpp, a fixed resampling stream). The columns of the figure's kind follow (sims/figures/:
// each kind's file documents its own), and a kind may write further tables beside the CSV.
#include <string>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

std::string section_csv(const SectionResult& result);

// A search point's value per seed that ran (+inf, or -inf for goal largest, where no value in range passed).
std::vector<double> seed_values(const Section& s, const PointResult& pr);
// The value reached by a majority of the seeds `picks` (indices into `values`, repeats allowed): the
// smallest value at least half of them reach plus one (the largest, for goal largest); +-inf when no
// majority reaches one in range.
double majority_value(const Section& s, const std::vector<double>& values, const std::vector<int>& picks);

}  // namespace moesim::sims
