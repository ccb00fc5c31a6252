// Parameter-matched (Cor 3.4): a dense one-layer model of width m_d (hidden width h_d: dense_hidden, by
// default m_d) against MoE with K experts at width m_s = m_d / sqrt(K), in three arms per K that separate
// narrow attention from small experts:
//   "MoE, totals matched"     m_s, each expert's hidden width chosen so the non-embedding total comes
//                             closest to the dense model's (within 5%, or the section is refused)
//   "MoE, dense expert width" m_s, each expert with the dense model's hidden width h_d (more parameters)
//   "dense, narrow"           a dense model at width m_s with hidden width h_d (fewer parameters)
// The CSV adds N, H, m_d, the dense total and each point's total over it, the lower bound on m H, the expert
// count at which the matched width falls below it, and whether the dense reference reached `target`.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "figures/figure.hpp"
#include "models/config.hpp"
#include "proofs/bounds.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace parameter_matched_figure {

long non_embedding(int heads, int K, int m, int hidden) {
  return models::count_params(models::OneLayerConfig{.vocab = 2, .m = m, .heads = heads, .hidden = hidden, .experts = K})
      .non_embedding;
}

int heads_of(const Section& s) { return s.fixed.count("heads") ? std::stoi(s.fixed.at("heads")) : RunOptions{}.heads; }

// h_d: ψ's hidden width in the dense model (at |V| = 32 a hidden width of 32 leaves m_d = 32 at 74%, 128 trains it).
int dense_hidden(const Section& s) {
  const int h = int(s.param("dense_hidden"));
  return h > 0 ? h : int(s.param("dense_width"));
}

long dense_total(const Section& s, int heads) {
  return non_embedding(heads, 0, int(s.param("dense_width")), dense_hidden(s));
}

void expand(const Section& s, std::vector<Point>& points) {
  const int dense_width = int(s.param("dense_width")), heads = heads_of(s), h_d = dense_hidden(s);
  const long dense = dense_total(s, heads);
  std::vector<Point> out;
  auto set = [](Point p, const std::string& arm, int K, int m, int hidden) {
    p.label = p.label.empty() ? arm : p.label + " " + arm;
    p.options["experts"] = std::to_string(K), p.options["m"] = std::to_string(m), p.options["hidden"] = std::to_string(hidden);
    p.axes["arm"] = arm, p.axes["experts"] = std::to_string(K), p.axes["m"] = std::to_string(m);
    p.axes["hidden"] = std::to_string(hidden);
    return p;
  };
  for (const auto& p : points) {
    const int K = p.options.count("experts") ? std::stoi(p.options.at("experts")) : 0;
    if (K == 0) {
      out.push_back(set(p, "dense reference", 0, dense_width, h_d));
      continue;
    }
    const int m = std::max(1, int(std::lround(dense_width / std::sqrt(double(K)))));
    int hidden = 1;
    for (int h = 1; h <= 64 * std::max(dense_width, h_d); ++h)
      if (std::labs(non_embedding(heads, K, m, h) - dense) < std::labs(non_embedding(heads, K, m, hidden) - dense)) hidden = h;
    const double ratio = double(non_embedding(heads, K, m, hidden)) / double(dense);
    if (std::abs(ratio - 1) > 0.05)
      throw UsageError("K = " + std::to_string(K) + ": at width " + std::to_string(m) + " no expert width comes within 5% of "
                       "the dense total " + std::to_string(dense) + " (closest: " + std::to_string(non_embedding(heads, K, m, hidden)) +
                       "); drop this K or raise dense_width");
    out.push_back(set(p, "MoE, totals matched", K, m, hidden));
    out.push_back(set(p, "MoE, dense expert width", K, m, h_d));
    out.push_back(set(p, "dense, narrow", 0, m, h_d));
  }
  points = std::move(out);
}

FigureKind make() {
  return {
      .name = "parameter-matched",
      .help = "length-2 accuracy of a dense model of width m_d against K experts of width m_d / sqrt(K), three arms",
      .keys = {{.name = "bound_c", .help = "the constant c of Thm 3.2's bound", .min = 1e-9, .max = 1e9, .fallback = 1.0},
               {.name = "dense_width", .help = "the dense width m_d", .min = 1, .max = 4096, .required = true, .integer = true},
               {.name = "target", .help = "the test accuracy the dense reference must reach", .min = 0, .max = 1, .fallback = 0.95},
               {.name = "dense_hidden", .help = "the dense model's hidden width h_d (0: dense_width)", .min = 0, .max = 4096,
                .fallback = 0.0, .integer = true}},
      .check = [](const Section& s) {
        if (s.search) throw UsageError("kind parameter-matched trains every point once (no search)");
        s.points();  // the arms: refused here when a K cannot match the dense total
      },
      .expand = expand,
      .columns = {"seq_len", "heads", "dense_width", "dense_total", "total_ratio", "lower_bound", "breaking_k",
                  "reference_reached"},
      .row = [](const SectionResult& r, const PointResult&, const PointSummary& sum) -> std::vector<std::string> {
        const Section& s = *r.section;
        const int nodes = int(sum.options.task_options.integer("nodes")), heads = sum.options.heads;
        const int N = 2 * (nodes - 2) + 1;  // the length-2 format
        const double c = s.param("bound_c");
        const long dense = dense_total(s, heads);
        // The dense reference's mean test accuracy against the section's target.
        std::string reached;
        for (const auto& pr : r.points) {
          if (pr.point.axes.count("arm") == 0 || pr.point.axes.at("arm") != "dense reference") continue;
          double mean = 0;
          int n = 0;
          for (const auto& seed : pr.seeds)
            if (seed.record) mean += seed.record->result.last().test_metric, ++n;
          if (n) reached = mean / n >= s.param("target") ? "1" : "0";
        }
        const long total = models::count_params(models::OneLayerConfig{.vocab = 2, .m = sum.options.m, .heads = heads,
                                                                       .hidden = sum.options.hidden, .experts = sum.options.experts})
                               .non_embedding;
        return {std::to_string(N), std::to_string(heads), std::to_string(int(s.param("dense_width"))), std::to_string(dense),
                number_text(double(total) / double(dense)), number_text(proofs::moe_width_lower_bound(nodes, N, c)),
                std::to_string(proofs::breaking_expert_count(N, heads, c)), reached};
      },
      .example = R"(seeds = [1, 2]
dense_width = 8
fixed = { task = "length2", model = "onelayer", nodes = 6, heads = 1, distribution = "disjointness", train-size = 0, test-size = 16, steps = 10, batch = 8, eval-every = 10 }
axes = { experts = [0, 4] }
)"};
}

}  // namespace parameter_matched_figure

MOESIM_REGISTER_FIGURE(parameter_matched, parameter_matched_figure::make);

}  // namespace moesim::sims
