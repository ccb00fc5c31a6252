#pragma once
// The columns the capacity figures (memorization, phonebook) share: the memorised information in bits
// (sweep/capacity_bits.hpp) with its bootstrap CI over seeds, per non-embedding total and active parameter
// (routers included), and the budget control's verdict (sweep/budget_control.hpp). The points' epochs_factor
// (1, or the factor of a budget-control twin) is an axis of theirs, so a column of its own already.
//   bits_mean, bits_ci_low, bits_ci_high   mean over seeds of the bits at each seed's capacity
//   bits_per_total, bits_per_active        bits_mean over the point's non-embedding total / active parameters
//   budget_verdict, budget_moved           the series' verdict and the twin's capacity minus the 1x point's
#include <string>
#include <vector>

#include "figures/figure.hpp"
#include "sweep/capacity_bits.hpp"

namespace moesim::sims {

std::vector<std::string> capacity_columns();
std::vector<std::string> capacity_cells(const SectionResult& r, const PointResult& pr, const PointSummary& sum,
                                        CapacityUnit unit);
// FIGURE.fit.csv: the exponent alpha of bits ~ (non-embedding total)^alpha, least squares in log-log over
// the points' mean bits, per series, per family (dense: no experts; MoE) and the MoE minus dense
// difference, each with a 95% bootstrap CI over seeds (resampled jointly across points; budget twins left
// out). Columns: figure, series, points, exponent, exponent_ci_low, exponent_ci_high, intercept, replicates.
std::string capacity_fit_table(const SectionResult& r, CapacityUnit unit, const std::string& figure);

// The budget_factor key (default 2) and the section check both kinds make.
SectionKey budget_factor_key();
void check_capacity_section(const Section& s, const std::string& kind, const std::string& key);

}  // namespace moesim::sims
