// Critical width (Thm 3.2/3.3): per point, the smallest one-layer width m that solves length-2 path at
// the target, searched per seed; the CSV adds the sequence length N, the heads H, the dense construction's
// width |V| and the lower bound c |V| / log2 N on m H.
#include "figures/figure.hpp"
#include "proofs/bounds.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace critical_width_figure {

FigureKind make() {
  return {
      .name = "critical-width",
      .help = "the smallest one-layer width m reaching the target on length-2 path, against |V|",
      .keys = {{.name = "bound_c", .help = "the constant c of Thm 3.2's bound c |V| / log2 N", .min = 1e-9, .max = 1e9, .fallback = 1.0}},
      .check = [](const Section& s) {
        if (!s.search || !s.search->smallest)
          throw UsageError("kind critical-width needs search = { key = \"m\", goal = \"smallest\", ... }");
      },
      .expand = {},
      .columns = {"seq_len", "heads", "dense_width", "lower_bound"},
      .row = [](const SectionResult& r, const PointResult&, const PointSummary& sum) -> std::vector<std::string> {
        const int nodes = int(sum.options.task_options.integer("nodes")), heads = sum.options.heads;
        const int N = 2 * (nodes - 2) + 1;  // the length-2 format
        return {std::to_string(N), std::to_string(heads), std::to_string(proofs::dense_width_upper_bound(nodes)),
                number_text(proofs::moe_width_lower_bound(nodes, N, r.section->param("bound_c")))};
      },
      .example = R"(seeds = [1, 2]
fixed = { task = "length2", model = "onelayer", nodes = 5, p = 0.5, train-size = 32, test-size = 16, steps = 20, batch = 16, eval-every = 10, lr = 0.01 }
axes = { experts = [0, 2] }
search = { key = "m", min = 1, max = 4, goal = "smallest", target = 0.6 }
)"};
}

}  // namespace critical_width_figure

MOESIM_REGISTER_FIGURE(critical_width, critical_width_figure::make);

}  // namespace moesim::sims
