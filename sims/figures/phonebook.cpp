// Phone book capacity (MoP Fig. 4a): per point, the largest book memorised at the target exact match,
// searched per seed with the training budget in passes (--epochs). The CSV adds the information in the
// numbers recalled, n · accuracy · log2(10^8) bits, with its CI, per non-embedding total and active
// parameter (routers counted), and the budget control (figures/capacity_columns.hpp).
#include "figures/capacity_columns.hpp"
#include "sweep/budget_control.hpp"

namespace moesim::sims {
namespace phonebook_figure {

FigureKind make() {
  return {.name = "phonebook",
          .help = "the largest phone book memorised at the target, in bits, against total parameters",
          .keys = {budget_factor_key()},
          .check = [](const Section& s) { check_capacity_section(s, "phonebook", "entries"); },
          .expand = [](const Section& s, std::vector<Point>& points) { add_budget_twins(points, s.param(kBudgetKey)); },
          .columns = capacity_columns(),
          .row = [](const SectionResult& r, const PointResult& pr, const PointSummary& sum) {
            return capacity_cells(r, pr, sum, CapacityUnit::PhoneNumbers);
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "phonebook", layers = 1, heads = 2, d = 8, test-size = 8, epochs = 2, batch = 8, eval-every = 10, top-k = 2 }
axes.variants = [{ label = "dense", model = "dense" }, { label = "MoE", model = "moe", experts = 3 }]
search = { key = "entries", min = 2, max = 16, start = 4, goal = "largest", target = 0.5 }
)",
          .extra_csvs = {{"fit", [](const SectionResult& r) { return capacity_fit_table(r, CapacityUnit::PhoneNumbers, "phonebook"); }}}};
}

}  // namespace phonebook_figure

MOESIM_REGISTER_FIGURE(phonebook, phonebook_figure::make);

}  // namespace moesim::sims
