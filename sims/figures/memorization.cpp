// Memorisation capacity (Thm 3.5/3.6): per point, the largest n of random labels memorised at the target,
// searched per seed; the CSV adds the capacity per total and per active non-embedding parameter (one bit
// per memorised label).
#include "figures/figure.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace memorization_figure {

FigureKind make() {
  return {.name = "memorization",
          .help = "the largest number of random labels memorised at the target, against parameters",
          .keys = {},
          .check = [](const Section& s) {
            if (!s.search || s.search->smallest)
              throw UsageError("kind memorization needs search = { key = \"n\", goal = \"largest\", ... }");
          },
          .expand = {},
          .columns = {"bits_per_total", "bits_per_active"},
          .row = [](const SectionResult&, const PointResult&, const PointSummary& sum) -> std::vector<std::string> {
            auto num = [](double v) { return std::isfinite(v) ? number_text(v) : std::string(); };
            return {num(sum.majority / sum.total), num(sum.majority / sum.active)};
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", dim = 3, seq-len = 2, m = 3, steps = 10, batch = 8, eval-every = 10, lr = 0.01 }
axes.variants = [{ label = "MoE", experts = 2, hidden = 3 }, { label = "dense", experts = 0, hidden = 3 }]
search = { key = "n", min = 4, max = 32, start = 8, goal = "largest", target = 0.6 }
)"};
}

}  // namespace memorization_figure

MOESIM_REGISTER_FIGURE(memorization, memorization_figure::make);

}  // namespace moesim::sims
