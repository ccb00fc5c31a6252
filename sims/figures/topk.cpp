// SRAVEN top-k ([TopK]): OOD accuracy of MoE Transformers against the experts per token k, at several
// complexities (features per problem). The best k is decided on the OOD accuracy as a share of the OOD
// set's ceiling (ood_normalized: the Bayes-optimal guess's accuracy, tasks/sraven_posterior.hpp), so that a
// complexity with more ambiguous problems does not move it. The CSV adds, on the MoE rows: best_k (the k
// with the best mean normalised OOD accuracy at the row's complexity), best_k_ci_low/high (the 95%
// bootstrap interval of that choice over seeds: resample the seeds, recompute each k's mean, take the
// best), and best_k_seeds (each seed's own best k, space-separated).
#include <map>

#include "figures/figure.hpp"
#include "sweep/bootstrap.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace topk_figure {

struct BestK {
  int k = 0;
  Interval ci;
  std::vector<int> seeds;  // each seed's own best k
};

// The score a seed's run gives a k: its OOD accuracy as a share of the ceiling (or the raw OOD accuracy
// for records that carry no ceiling).
double score(const SeedResult& r) {
  if (!r.record) return 0.0;
  const auto& metrics = r.record->result.last().metrics;
  if (metrics.count("ood_normalized")) return metrics.at("ood_normalized");
  return metrics.count("ood") ? metrics.at("ood") : 0.0;
}

// Per complexity (the `features` option as given), over the MoE points: the best k.
std::map<std::string, BestK> best_top_k(const SectionResult& result) {
  std::map<std::string, std::vector<std::pair<int, std::vector<double>>>> groups;  // (k, score per seed)
  for (const auto& pr : result.points) {
    const auto& o = pr.point.options;
    if (!o.count("features") || !o.count("top-k") || o.at("model") != "moe") continue;
    std::vector<double> scores;
    for (const auto& r : pr.seeds) scores.push_back(score(r));
    groups[o.at("features")].push_back({std::stoi(o.at("top-k")), scores});
  }
  std::map<std::string, BestK> best;
  for (const auto& [features, by_k] : groups) {
    const size_t seeds = by_k.front().second.size();
    // The best k by the mean over the seeds `picks`.
    auto best_of = [&](const std::vector<int>& picks) {
      int k_best = 0;
      double top = -1;
      for (const auto& [k, scores] : by_k) {
        double mean = 0;
        for (int p : picks) mean += scores[p] / double(picks.size());
        if (mean > top) top = mean, k_best = k;
      }
      return k_best;
    };
    BestK b;
    std::vector<int> all(seeds);
    for (size_t i = 0; i < seeds; ++i) all[i] = int(i);
    b.k = best_of(all);
    b.ci = bootstrap(int(seeds), [&](const std::vector<int>& picks) { return double(best_of(picks)); });
    for (size_t s = 0; s < seeds; ++s) b.seeds.push_back(best_of({int(s)}));
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
          .columns = {"best_k", "best_k_ci_low", "best_k_ci_high", "best_k_seeds"},
          .row = [](const SectionResult& r, const PointResult& pr, const PointSummary&) -> std::vector<std::string> {
            const auto& o = pr.point.options;
            const auto best = best_top_k(r);
            const auto b = best.find(o.count("features") ? o.at("features") : "");
            if (b == best.end() || !o.count("top-k") || o.at("model") != "moe") return {"", "", "", ""};
            std::string seeds;
            for (int k : b->second.seeds) seeds += (seeds.empty() ? "" : " ") + std::to_string(k);
            return {std::to_string(b->second.k), number_text(b->second.ci.low), number_text(b->second.ci.high), seeds};
          },
          .example = R"(seeds = [1, 2]
fixed = { task = "sraven", features = 2, rule-pool = 4, d = 8, layers = 1, heads = 2, steps = 4, batch = 4, eval-every = 4, test-size = 8 }
axes.features = [2, 3]
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
