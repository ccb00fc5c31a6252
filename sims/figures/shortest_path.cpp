// Shortest path (MoP Fig. 4b): exact match of the generated path for each point of a grid of dense and
// MoE Transformers, against total parameters. The common columns say it all: no columns of its own.
#include "figures/figure.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace shortest_path_figure {

FigureKind make() {
  return {.name = "shortest-path",
          .help = "shortest-path exact match of dense and MoE Transformers, against total parameters",
          .keys = {},
          .check = [](const Section& s) {
            if (s.search) throw UsageError("kind shortest-path trains every point once (no search)");
          },
          .expand = {},
          .columns = {},
          .row = {},
          .example = R"(seeds = [1, 2]
fixed = { task = "shortest-path", nodes = 5, p = 0.4, train-size = 16, test-size = 5, layers = 1, heads = 2, d = 8, steps = 5, batch = 4, eval-every = 5 }
axes.variants = [{ label = "dense", model = "dense" }, { label = "MoE", model = "moe", experts = 3, top-k = 2 }]
)"};
}

}  // namespace shortest_path_figure

MOESIM_REGISTER_FIGURE(shortest_path, shortest_path_figure::make);

}  // namespace moesim::sims
