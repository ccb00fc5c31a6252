// Phone book capacity (MoP Fig. 4a): per point, the largest book memorised at the target exact match,
// searched per seed; the CSV adds the capacity in bits (log2 10^8 per entry) per total non-embedding
// parameter.
#include <cmath>

#include "figures/figure.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace phonebook_figure {

FigureKind make() {
  return {.name = "phonebook",
          .help = "the largest phone book memorised at the target, against total parameters",
          .keys = {},
          .check = [](const Section& s) {
            if (!s.search || s.search->smallest)
              throw UsageError("kind phonebook needs search = { key = \"entries\", goal = \"largest\", ... }");
          },
          .expand = {},
          .columns = {"bits_per_total"},
          .row = [](const SectionResult&, const PointResult&, const PointSummary& sum) -> std::vector<std::string> {
            const double bits = sum.majority * std::log2(1e8) / sum.total;
            return {std::isfinite(bits) ? number_text(bits) : ""};
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "phonebook", layers = 1, heads = 2, d = 8, test-size = 8, steps = 10, batch = 8, eval-every = 10, top-k = 2 }
axes.variants = [{ label = "dense", model = "dense" }, { label = "MoE", model = "moe", experts = 3 }]
search = { key = "entries", min = 2, max = 16, start = 4, goal = "largest", target = 0.5 }
)"};
}

}  // namespace phonebook_figure

MOESIM_REGISTER_FIGURE(phonebook, phonebook_figure::make);

}  // namespace moesim::sims
