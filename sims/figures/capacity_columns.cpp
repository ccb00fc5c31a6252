#include "figures/capacity_columns.hpp"

#include <cmath>
#include <map>
#include <sstream>

#include "model_factory.hpp"
#include "number_text.hpp"
#include "sweep/loglog_fit.hpp"
#include "sweep/bootstrap.hpp"
#include "sweep/budget_control.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

std::vector<std::string> capacity_columns() {
  // epochs_factor is not among them: it is the points' own axis (add_budget_twins), a column already.
  return {"bits_mean", "bits_ci_low", "bits_ci_high", "bits_per_total", "bits_per_active", "budget_verdict",
          "budget_moved"};
}

std::vector<std::string> capacity_cells(const SectionResult& r, const PointResult& pr, const PointSummary& sum,
                                        CapacityUnit unit) {
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
  const std::string moved = budget.verdict.empty() || budget.verdict == "censored" ? "" : cell_text(budget.moved);
  return {cell_text(mean), cell_text(ci.low), cell_text(ci.high), cell_text(mean / sum.total),
          cell_text(mean / sum.active), budget.verdict, moved};
}

namespace {

struct FitSeries {
  std::vector<double> x;                  // per point: non-embedding total
  std::vector<std::vector<double>> bits;  // per point: per seed (0 where none passed)
};

// The fit over the seeds `picks` (indices, repeats allowed) of each point's mean bits.
LineFit fit_picks(const FitSeries& f, const std::vector<int>& picks) {
  std::vector<double> y;
  for (const auto& b : f.bits) {
    double mean = 0;
    for (int i : picks) mean += (i < int(b.size()) ? b[i] : NAN) / double(picks.size());
    y.push_back(mean);
  }
  return fit_loglog(f.x, y);
}

}  // namespace

std::string capacity_fit_table(const SectionResult& r, CapacityUnit unit, const std::string& figure) {
  std::map<std::string, FitSeries> series, family;
  size_t seeds = 0;
  for (const auto& pr : r.points) {
    if (is_budget_twin(pr.point)) continue;
    auto bits = seed_bits(pr, r.section->search->key, unit);
    for (double& b : bits)
      if (!std::isfinite(b)) b = 0;
    seeds = std::max(seeds, bits.size());
    const RunOptions o = parse_run_options(pr.point.options);
    const double total = double(non_embedding_counts(o).non_embedding);
    for (FitSeries* f : {&series[pr.point.label], &family[o.experts > 0 ? "family: MoE" : "family: dense"]}) {
      f->x.push_back(total);
      f->bits.push_back(bits);
    }
  }
  std::vector<int> all(seeds);
  for (size_t i = 0; i < seeds; ++i) all[i] = int(i);
  std::ostringstream out;
  out << "figure,series,points,exponent,exponent_ci_low,exponent_ci_high,intercept,replicates\n";
  auto row = [&](const std::string& name, size_t points, double slope, double intercept, const Interval& ci) {
    out << figure << "-fit,\"" << name << "\"," << points << ',' << cell_text(slope) << ',' << cell_text(ci.low) << ','
        << cell_text(ci.high) << ',' << cell_text(intercept) << ',' << ci.replicates << '\n';
  };
  auto slope_of = [](const LineFit& f) { return f.points >= 2 ? f.slope : NAN; };
  for (auto* group : {&series, &family})
    for (const auto& [name, f] : *group) {
      const LineFit fit = fit_picks(f, all);
      const Interval ci = seeds ? bootstrap(int(seeds), [&](const std::vector<int>& p) { return slope_of(fit_picks(f, p)); })
                                : Interval{};
      row(name, f.x.size(), slope_of(fit), fit.intercept, ci);
    }
  if (family.count("family: MoE") && family.count("family: dense")) {
    const auto &moe = family.at("family: MoE"), &dense = family.at("family: dense");
    auto diff = [&](const std::vector<int>& p) { return slope_of(fit_picks(moe, p)) - slope_of(fit_picks(dense, p)); };
    row("MoE minus dense", moe.x.size() + dense.x.size(), diff(all), NAN, seeds ? bootstrap(int(seeds), diff) : Interval{});
  }
  return out.str();
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
