// SRAVEN top-k ([TopK]): OOD accuracy of MoE Transformers against the experts per token k, at several
// complexities (features per problem). The CSV adds, on the MoE rows, the k with the best mean OOD
// accuracy at the row's complexity (best_k), and each seed's own best k (best_k_seeds, space-separated,
// with their range best_k_min, best_k_max): the best by the mean need not be any seed's best.
#include <map>

#include "figures/figure.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace topk_figure {

struct BestK {
  int k = 0, k_min = 0, k_max = 0;
  std::vector<int> seeds;  // each seed's own best k
};

// Per complexity (the `features` option as given), over the MoE points: the best k by mean OOD accuracy.
std::map<std::string, BestK> best_top_k(const SectionResult& result) {
  std::map<std::string, std::vector<std::pair<int, std::vector<double>>>> groups;  // (k, OOD per seed)
  for (const auto& pr : result.points) {
    const auto& o = pr.point.options;
    if (!o.count("features") || !o.count("top-k") || o.at("model") != "moe") continue;
    std::vector<double> ood;
    for (const auto& r : pr.seeds) {
      const auto* metrics = r.record ? &r.record->result.last().metrics : nullptr;
      ood.push_back(metrics && metrics->count("ood") ? metrics->at("ood") : 0.0);
    }
    groups[o.at("features")].push_back({std::stoi(o.at("top-k")), ood});
  }
  std::map<std::string, BestK> best;
  for (const auto& [features, by_k] : groups) {
    BestK b;
    double top = -1;
    for (const auto& [k, ood] : by_k) {
      double mean = 0;
      for (double x : ood) mean += x / double(ood.size());
      if (mean > top) top = mean, b.k = k;
    }
    b.k_min = 1 << 30, b.k_max = 0;
    for (size_t seed = 0; seed < by_k.front().second.size(); ++seed) {
      int k_best = 0;
      double best_seed = -1;
      for (const auto& [k, ood] : by_k)
        if (ood[seed] > best_seed) best_seed = ood[seed], k_best = k;
      b.k_min = std::min(b.k_min, k_best), b.k_max = std::max(b.k_max, k_best);
      b.seeds.push_back(k_best);
    }
    best[features] = b;
  }
  return best;
}

FigureKind make() {
  return {.name = "topk",
          .help = "SRAVEN OOD accuracy against the experts per token k, at several complexities",
          .keys = {},
          .check = [](const Section& s) {
            if (s.search) throw UsageError("kind topk trains every point once (no search)");
          },
          .expand = {},
          .columns = {"best_k", "best_k_min", "best_k_max", "best_k_seeds"},
          .row = [](const SectionResult& r, const PointResult& pr, const PointSummary&) -> std::vector<std::string> {
            const auto& o = pr.point.options;
            const auto best = best_top_k(r);
            const auto b = best.find(o.count("features") ? o.at("features") : "");
            if (b == best.end() || !o.count("top-k") || o.at("model") != "moe") return {"", "", "", ""};
            std::string seeds;
            for (int k : b->second.seeds) seeds += (seeds.empty() ? "" : " ") + std::to_string(k);
            return {std::to_string(b->second.k), std::to_string(b->second.k_min), std::to_string(b->second.k_max), seeds};
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "sraven", rule-pool = 3, d = 8, layers = 1, heads = 2, steps = 4, batch = 4, eval-every = 4, test-size = 8 }
axes.features = [1, 2]
axes.variants = [
  { label = "MoE 3 experts", model = "moe", experts = 3, top-k = 1 },
  { label = "MoE 3 experts", model = "moe", experts = 3, top-k = 2 },
  { label = "dense", model = "dense" },
]
)"};
}

}  // namespace topk_figure

MOESIM_REGISTER_FIGURE(topk, topk_figure::make);

}  // namespace moesim::sims
