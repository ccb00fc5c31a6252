#pragma once
// Budget control for capacity figures (memorization, phonebook): is the capacity a property of the model,
// or of how long it trained? The largest model of each series (by non-embedding total) is searched again
// at `factor` times the epochs, as a point of its own labelled "LABEL, Fx epochs" (axis epochs_factor = F;
// the other points have 1). If its capacity differs from the 1x point's by more than the search
// resolution, the series is budget-limited: more training would have moved it, and its points are upper
// bounds on nothing and lower bounds only.
#include <string>
#include <vector>

#include "sweep/preset.hpp"

namespace moesim::sims {

struct SectionResult;
struct PointResult;

// The section key that sets the factor (0: no control), shared by the kinds that take it.
inline constexpr const char* kBudgetKey = "budget_factor";

// Whether `p` is a budget-control twin (epochs_factor other than 1).
bool is_budget_twin(const Point& p);

// Adds the twins; throws UsageError when a point trains by --steps, not --epochs.
void add_budget_twins(std::vector<Point>& points, double factor);

struct BudgetVerdict {
  std::string verdict;  // its series': "stable", "budget-limited", "censored" (no majority value at either
                        // budget), or "" (no control)
  double moved = 0;     // the twin's capacity minus the 1x point's
};
BudgetVerdict budget_verdict(const SectionResult& r, const PointResult& pr);

}  // namespace moesim::sims
