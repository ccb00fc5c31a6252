#pragma once
// A section's results as the CSV its figure is drawn from: one row per point, with the spread over seeds
// and the theory's values beside the measurements (from proofs/bounds.hpp).
//
// Every CSV starts with: figure (the kind), series (the point's label), the axis values, seeds, failed,
// total_params and active_params (non-embedding). Then, for a section with a search:
//   search_key, found, censored, value_majority, value_min, value_max, test_at_value, train_at_value
// where a seed's value is its smallest (largest) passing value, value_majority is the value reached by a
// majority of the seeds (the median for three), "censored" counts seeds whose value is an end of the range
// (the truth lies beyond it), and test/train_at_value average the runs at each seed's value. For a plain
// section: diverged, test_mean, test_min, test_max, train_mean, train_min, train_max, then NAME_mean,
// NAME_min, NAME_max for each task-specific metric the records carry (SRAVEN: id, ood, id_feature, ...).
// Kind-specific columns follow: critical-width and parameter-matched: seq_len, heads, dense_width (|V|,
// or m_d) and lower_bound (c |V| / log2 N, a bound on m*H), parameter-matched also breaking_k (Cor 3.4); memorization:
// bits_per_total and bits_per_active (one bit per memorised label); phonebook: bits_per_total (log2 10^8
// bits per entry); topk: best_k, best_k_min, best_k_max on the MoE rows (per complexity `features`, the k
// with the best mean OOD accuracy, and the range of each seed's own best k).
#include <string>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

std::string section_csv(const SectionResult& result);

}  // namespace moesim::sims
