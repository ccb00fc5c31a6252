#include "figures/capacity_columns.hpp"

#include <cmath>

#include "number_text.hpp"
#include "sweep/bootstrap.hpp"
#include "sweep/budget_control.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

std::vector<std::string> capacity_columns() {
  return {"bits_mean", "bits_ci_low", "bits_ci_high", "bits_per_total", "bits_per_active",
          "epochs_factor", "budget_verdict", "budget_moved"};
}

std::vector<std::string> capacity_cells(const SectionResult& r, const PointResult& pr, const PointSummary& sum,
                                        CapacityUnit unit) {
  auto num = [](double v) { return std::isfinite(v) ? number_text(v) : std::string(); };
  // A seed without a passing size holds no measured bits: 0, so the mean is not of the lucky seeds only.
  std::vector<double> bits = seed_bits(pr, r.section->search->key, unit);
  for (double& b : bits)
    if (!std::isfinite(b)) b = 0;
  double mean = NAN;
  if (!bits.empty()) {
    mean = 0;
    for (double b : bits) mean += b / double(bits.size());
  }
  const Interval ci = bootstrap_mean(bits);
  const BudgetVerdict budget = budget_verdict(r, pr);
  return {num(mean), num(ci.low), num(ci.high), num(mean / sum.total), num(mean / sum.active), budget.factor,
          budget.verdict, budget.verdict.empty() || budget.verdict == "censored" ? "" : num(budget.moved)};
}

SectionKey budget_factor_key() {
  return {.name = kBudgetKey, .help = "the largest model of each series is searched again at this many times the epochs "
                                      "(0: no budget control)",
          .min = 0, .max = 100, .fallback = 2};
}

void check_capacity_section(const Section& s, const std::string& kind, const std::string& key) {
  if (!s.search || s.search->smallest || s.search->key != key)
    throw UsageError("kind " + kind + " needs search = { key = \"" + key + "\", goal = \"largest\", ... }");
  s.points();  // the budget twins: refused here when a point trains by --steps
}

}  // namespace moesim::sims
