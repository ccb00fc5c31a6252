#include "sweep/budget_control.hpp"

#include <algorithm>
#include <cmath>

#include "model_factory.hpp"
#include "number_text.hpp"
#include "sweep/aggregate.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

const char* kFactorAxis = "epochs_factor";

std::string series_of(const Point& p) {
  const auto cut = p.label.rfind(", ");
  return is_budget_twin(p) && cut != std::string::npos ? p.label.substr(0, cut) : p.label;
}

double majority_of(const Section& s, const PointResult& pr) {
  const auto values = seed_values(s, pr);
  std::vector<int> all(values.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = int(i);
  return majority_value(s, values, all);
}

}  // namespace

bool is_budget_twin(const Point& p) { return p.axes.count(kFactorAxis) && p.axes.at(kFactorAxis) != "1"; }

void add_budget_twins(std::vector<Point>& points, double factor) {
  for (auto& p : points) p.axes[kFactorAxis] = "1";
  if (factor <= 0) return;
  std::vector<Point> twins;
  std::vector<std::string> done;
  for (const auto& p : points) {
    if (std::find(done.begin(), done.end(), p.label) != done.end()) continue;
    done.push_back(p.label);
    const Point* largest = nullptr;
    long most = -1;
    for (const auto& q : points) {
      if (q.label != p.label) continue;
      if (!q.options.count("epochs") || std::stod(q.options.at("epochs")) <= 0)
        throw UsageError("budget_factor: point '" + q.label + "' trains by --steps (accepted: epochs = E in fixed or the axes, "
                         "or budget_factor = 0 for no budget control)");
      const long total = non_embedding_counts(parse_run_options(q.options)).non_embedding;
      if (total > most) most = total, largest = &q;
    }
    Point twin = *largest;
    twin.options["epochs"] = number_text(std::stod(largest->options.at("epochs")) * factor);
    twin.axes[kFactorAxis] = number_text(factor);
    twin.label = (p.label.empty() ? std::string("largest") : p.label) + ", " + number_text(factor) + "x epochs";
    twins.push_back(std::move(twin));
  }
  points.insert(points.end(), twins.begin(), twins.end());
}

BudgetVerdict budget_verdict(const SectionResult& r, const PointResult& pr) {
  BudgetVerdict v;
  const Section& s = *r.section;
  if (!pr.point.axes.count(kFactorAxis)) return v;
  const std::string series = series_of(pr.point);
  const PointResult *twin = nullptr, *base = nullptr;
  for (const auto& q : r.points)
    if (is_budget_twin(q.point) && series_of(q.point) == (series.empty() ? "largest" : series))
      twin = &q;
  if (!twin) return v;
  for (const auto& q : r.points) {
    if (!q.point.axes.count(kFactorAxis) || q.point.axes.at(kFactorAxis) != "1") continue;
    Options a = q.point.options, b = twin->point.options;
    a.erase("epochs"), b.erase("epochs");
    if (a == b) base = &q;
  }
  if (!base) return v;
  const double lo = majority_of(s, *base), hi = majority_of(s, *twin);
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    v.verdict = "censored";
    return v;
  }
  v.moved = hi - lo;
  const double resolution = std::max(double(s.search->step), s.search->resolution * std::max(lo, hi));
  v.verdict = std::abs(v.moved) > resolution ? "budget-limited" : "stable";
  return v;
}

}  // namespace moesim::sims
