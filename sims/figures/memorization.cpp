// Memorisation capacity (Thm 3.5/3.6): per point, the largest n of random labels memorised at the target,
// searched per seed with the training budget in passes (--epochs), so every probe sees each label as often.
// The CSV adds the memorised information in bits, n (1 - H2(1 - accuracy)) (a label recalled at 90% is 0.53
// bits, not 1), with its CI, per non-embedding total and active parameter (the router counted), and the
// budget control (figures/capacity_columns.hpp).
//
// With match_dense = 1 the dense references are not listed by hand but derived from each MoE point: a
// dense model whose hidden width gives the MoE's non-embedding total ("dense, total matched") and one that
// gives its active count ("dense, active matched"), each within 5% (or the section is refused), the
// counts in the CSV's total_params and active_params.
#include <cstdlib>

#include "figures/capacity_columns.hpp"
#include "model_factory.hpp"
#include "number_text.hpp"
#include "sweep/budget_control.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace memorization_figure {

// The dense point (experts 0) whose non-embedding total comes closest to `goal`, within 5%.
Point dense_matched(const Point& moe, long goal, const std::string& arm) {
  Point p = moe;
  p.options["experts"] = "0";
  auto total = [&](int hidden) {
    p.options["hidden"] = std::to_string(hidden);
    return non_embedding_counts(parse_run_options(p.options)).non_embedding;
  };
  // The total grows linearly in the hidden width: bisect for the closest.
  int lo = 1, hi = 1;
  while (total(hi) < goal && hi < (1 << 24)) lo = hi, hi *= 2;
  while (hi - lo > 1) (total((lo + hi) / 2) < goal ? lo : hi) = (lo + hi) / 2;
  const int best = std::labs(total(lo) - goal) <= std::labs(total(hi) - goal) ? lo : hi;
  const long got = total(best);
  if (std::labs(got - goal) > 0.05 * double(goal))
    throw UsageError("match_dense: no dense hidden width comes within 5% of " + std::to_string(goal) +
                     " parameters (closest: " + std::to_string(got) + "); change the MoE's sizes");
  p.label = arm;
  p.axes["experts"] = "0", p.axes["hidden"] = std::to_string(best);
  return p;
}

void expand(const Section& s, std::vector<Point>& points) {
  if (s.param("match_dense") > 0) {
    std::vector<Point> out;
    auto add = [&](Point p) {
      for (const auto& q : out)
        if (q.options == p.options && q.label == p.label) return;
      out.push_back(std::move(p));
    };
    for (const auto& p : points) {
      add(p);
      const auto o = parse_run_options(p.options);
      if (o.experts <= 0) continue;
      const auto counts = non_embedding_counts(o);
      add(dense_matched(p, counts.non_embedding, "dense, total matched"));
      add(dense_matched(p, counts.active_non_embedding, "dense, active matched"));
    }
    points = std::move(out);
  }
  add_budget_twins(points, s.param(kBudgetKey));
}

FigureKind make() {
  return {.name = "memorization",
          .help = "the largest number of random labels memorised at the target, in bits, against parameters",
          .keys = {budget_factor_key(),
                   {.name = "match_dense", .help = "1: add dense models matched to each MoE point's total and active "
                                                   "parameters (within 5%)", .min = 0, .max = 1, .fallback = 0, .integer = true}},
          .check = [](const Section& s) { check_capacity_section(s, "memorization", "n"); },
          .expand = expand,
          .columns = capacity_columns(),
          .row = [](const SectionResult& r, const PointResult& pr, const PointSummary& sum) {
            return capacity_cells(r, pr, sum, CapacityUnit::Labels);
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", dim = 3, seq-len = 2, m = 3, epochs = 2, batch = 8, eval-every = 10, lr = 0.01 }
axes.variants = [{ label = "MoE", experts = 2, hidden = 3 }, { label = "dense", experts = 0, hidden = 3 }]
search = { key = "n", min = 4, max = 32, start = 8, goal = "largest", target = 0.6 }
)",
          .extra_csvs = {{"fit", [](const SectionResult& r) { return capacity_fit_table(r, CapacityUnit::Labels, "memorization"); }}}};
}

}  // namespace memorization_figure

MOESIM_REGISTER_FIGURE(memorization, memorization_figure::make);

}  // namespace moesim::sims
