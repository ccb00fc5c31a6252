#pragma once
// A section's results as the CSV its figure is drawn from: one row per point, with the spread over seeds
// and the theory's values beside the measurements (from proofs/bounds.hpp).
//
// Every CSV starts with: figure (the kind), series (the point's label), the axis values, seeds, failed,
// total_params and active_params (non-embedding). Then, for a section with a search:
//   search_key, search_min, search_max, found, censored, value_majority, value_min, value_max,
//   test_at_value, train_at_value
// where a seed's value is its smallest (largest) passing value, value_majority is the value reached by a
// majority of the seeds (the median for three; empty when no majority passes anywhere in the range
// [search_min, search_max]: a censored point, not a missing one), "censored" counts seeds whose value is
// an end of the range (the truth lies beyond it), and test/train_at_value average the runs at each seed's
// value. For a plain
// section: diverged, test_mean, test_min, test_max, train_mean, train_min, train_max, then NAME_mean,
// NAME_min, NAME_max for each task-specific metric the records carry (SRAVEN: id, ood, id_feature, ...).
// The columns of the figure's kind follow (sims/figures/: each kind's file documents its own).
#include <string>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

std::string section_csv(const SectionResult& result);

}  // namespace moesim::sims
