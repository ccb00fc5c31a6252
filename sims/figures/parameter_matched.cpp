// Parameter-matched (Cor 3.4): a dense one-layer model of width m_d against MoE with K experts of width
// m_d / sqrt(K), each expert's hidden width chosen so the non-embedding totals come closest to the dense
// model's. The CSV adds N, H, m_d, the lower bound on m H and the expert count at which the matched
// width falls below it.
#include <cmath>
#include <cstdlib>

#include "figures/figure.hpp"
#include "models/config.hpp"
#include "proofs/bounds.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace parameter_matched_figure {

void expand(const Section& s, std::vector<Point>& points) {
  const int dense_width = int(s.param("dense_width"));
  const int heads = s.fixed.count("heads") ? std::stoi(s.fixed.at("heads")) : RunOptions{}.heads;
  auto non_embedding = [heads](int K, int m, int hidden) {
    return models::count_params(models::OneLayerConfig{.vocab = 2, .m = m, .heads = heads, .hidden = hidden, .experts = K})
        .non_embedding;
  };
  const long dense = non_embedding(0, dense_width, dense_width);
  for (auto& p : points) {
    const int K = p.options.count("experts") ? std::stoi(p.options.at("experts")) : 0;
    const int m = K == 0 ? dense_width : std::max(1, int(std::lround(dense_width / std::sqrt(double(K)))));
    int hidden = m;
    if (K > 0)
      for (int h = 1; h <= 64 * dense_width; ++h)
        if (std::labs(non_embedding(K, m, h) - dense) < std::labs(non_embedding(K, m, hidden) - dense)) hidden = h;
    p.options["m"] = std::to_string(m);
    p.options["hidden"] = std::to_string(hidden);
    p.axes["m"] = std::to_string(m);
    p.axes["hidden"] = std::to_string(hidden);
  }
}

FigureKind make() {
  return {
      .name = "parameter-matched",
      .help = "length-2 accuracy of a dense model of width m_d against K experts of width m_d / sqrt(K), same totals",
      .keys = {{.name = "bound_c", .help = "the constant c of Thm 3.2's bound", .min = 1e-9, .max = 1e9, .fallback = 1.0},
               {.name = "dense_width", .help = "the dense width m_d", .min = 1, .max = 4096, .required = true, .integer = true}},
      .check = [](const Section& s) {
        if (s.search) throw UsageError("kind parameter-matched trains every point once (no search)");
      },
      .expand = expand,
      .columns = {"seq_len", "heads", "dense_width", "lower_bound", "breaking_k"},
      .row = [](const SectionResult& r, const PointResult&, const PointSummary& sum) -> std::vector<std::string> {
        const int nodes = int(sum.options.task_options.integer("nodes")), heads = sum.options.heads;
        const int N = 2 * (nodes - 2) + 1;  // the length-2 format
        const double c = r.section->param("bound_c");
        return {std::to_string(N), std::to_string(heads), std::to_string(int(r.section->param("dense_width"))),
                number_text(proofs::moe_width_lower_bound(nodes, N, c)),
                std::to_string(proofs::breaking_expert_count(N, heads, c))};
      },
      .example = R"(seeds = [1, 2]
dense_width = 4
fixed = { task = "length2", model = "onelayer", nodes = 6, p = 0.4, train-size = 32, test-size = 16, steps = 10, batch = 8, eval-every = 10 }
axes = { experts = [0, 4] }
)"};
}

}  // namespace parameter_matched_figure

MOESIM_REGISTER_FIGURE(parameter_matched, parameter_matched_figure::make);

}  // namespace moesim::sims
