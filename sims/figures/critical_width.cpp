// Critical width (Thm 3.2/3.3): per point, the smallest one-layer width m that solves length-2 path at
// the target, searched per seed; the CSV adds the sequence length N, the heads H, the dense construction's
// width |V|, the lower bound c |V| / log2 N on m H, and trapped_seeds: the seeds whose search tried a
// width whose run ended at chance on its own training inputs (no better than its majority baseline: a
// constant output, results/pilots/wide-lr). The search reads such a run as "the width fails", though it
// says nothing of the width, so a seed counted here may hold a value above the truth, or none. Four tables
// beside it:
//   FIGURE.fit.csv       per series (the points that differ only in |V|), the least-squares exponent of
//                        critical m H against |V| on log-log axes, with its 95% bootstrap interval over seeds;
//                        the points no majority reaches in range are censored: kept out of the fit and
//                        counted. The theory's two exponents over the same |V| follow as rows of their own.
//                        With fit_from, only the sizes |V| >= fit_from are fitted (the small sizes can be
//                        lookup: their inputs recur in training), the theory's too; `points` still counts
//                        every size of the series, `fitted` those in the fit and `censored` those at or
//                        above fit_from that no majority reaches. A fit_from that keeps fewer than three
//                        sizes is refused.
//   FIGURE.protocol.csv  for runs trained with --examine (|V| <= 12), per series, |V| and width m tried:
//                        the smallest mantissa b at which Thm 3.2's protocol reproduces each model's answers
//                        on every input, the bits it sends, H (m+1)(b+12) with each number's sign and
//                        exponent, and its mantissa bits alone, H (m+1) b, against DISJ's |V| - 2.
//   FIGURE.witness.csv   the same models' accuracy over every input (their worst case, with the count of
//                        models that have a failure witness) beside their test accuracy, and whether the
//                        width lies below the point's critical width.
//   FIGURE.routing.csv   for the MoE runs, per series, |V| and width m tried: how many experts the router
//                        used at the run's last evaluation. Under hard routing the router learns nothing from
//                        the task (argmax), only from a balancing loss (--router-balance); a model that
//                        sends every input to one expert is the dense model, so this says how many experts
//                        a point's "K" really tested.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "figures/figure.hpp"
#include "proofs/bounds.hpp"
#include "sweep/aggregate.hpp"
#include "sweep/bootstrap.hpp"
#include "sweep/loglog_fit.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace critical_width_figure {

// The series a point belongs to: its label, or without one its axis values but |V|.
std::string series_key(const Point& p) {
  if (!p.label.empty()) return p.label;
  std::string key;
  for (const auto& [k, v] : p.axes)
    if (k != "nodes") key += (key.empty() ? "" : " ") + k + "=" + v;
  return key.empty() ? "all" : key;
}

int nodes_of(const PointResult& pr) { return int(parse_run_options(pr.point.options).task_options.integer("nodes")); }

struct Series {
  std::string key;
  std::vector<const PointResult*> points;  // in |V| order
};

// The series in the order the preset first names them (its variants' order), so that the tables and
// figures read dense, K = 1, K = 8, ... rather than alphabetically.
std::vector<Series> series_of(const SectionResult& r) {
  std::vector<Series> out;
  for (const auto& pr : r.points) {
    const std::string key = series_key(pr.point);
    auto it = std::find_if(out.begin(), out.end(), [&](const Series& s) { return s.key == key; });
    if (it == out.end()) it = out.insert(out.end(), Series{.key = key, .points = {}});
    it->points.push_back(&pr);
  }
  for (auto& s : out)
    std::sort(s.points.begin(), s.points.end(),
              [](const PointResult* a, const PointResult* b) { return nodes_of(*a) < nodes_of(*b); });
  return out;
}

int heads_of(const PointResult& pr) { return parse_run_options(pr.point.options).heads; }

// A run that ended no better than a constant output on its own training inputs: it did not train. A
// constant output scores at most the training inputs' share of their commoner label: the record's
// train_majority (length-2), else the test set's majority baseline (labels balanced in both).
bool at_chance(const RunRecord& r) {
  if (r.result.evals.empty()) return false;
  double constant = -1;
  if (r.task.contains("train_majority")) constant = r.task.at("train_majority").get<double>();
  else if (const auto majority = r.baselines.find("majority"); majority != r.baselines.end()) constant = majority->second;
  return r.result.last().train_metric <= constant;
}

long trapped_seeds(const PointResult& pr) {
  long n = 0;
  for (const auto& seed : pr.seeds)
    n += std::any_of(seed.probes.begin(), seed.probes.end(), at_chance);
  return n;
}

std::string fit_table(const SectionResult& r) {
  const Section& s = *r.section;
  std::ostringstream out;
  out << "figure,series,points,fitted,censored,exponent,exponent_ci_low,exponent_ci_high,intercept,replicates\n";
  const double from = s.param("fit_from");
  std::vector<double> all_nodes;
  for (const auto& series : series_of(r)) {
    const std::string& key = series.key;
    std::vector<double> x;
    std::vector<std::vector<double>> values;  // per point: each seed's critical m H (inf: none in range)
    for (const PointResult* pr : series.points) {
      all_nodes.push_back(nodes_of(*pr));
      x.push_back(nodes_of(*pr) >= from ? nodes_of(*pr) : NAN);  // NaN: below fit_from, not fitted
      auto v = seed_values(s, *pr);
      for (double& m : v) m *= heads_of(*pr);
      values.push_back(v);
    }
    const size_t seeds = values.empty() ? 0 : values.front().size();
    bool same_seeds = true;
    for (const auto& v : values) same_seeds &= v.size() == seeds;
    // The fit of the points' majority values, from all seeds or from a resample of them.
    auto fit_of = [&](const std::vector<int>& picks) {
      std::vector<double> y;
      for (const auto& v : values) y.push_back(majority_value(s, v, picks));  // inf: censored, left out
      return fit_loglog(x, y);
    };
    std::vector<int> all(seeds);
    for (size_t i = 0; i < seeds; ++i) all[i] = int(i);
    const LineFit fit = fit_of(all);
    long censored = 0;  // within the fitted sizes: points - fitted - censored is what fit_from cut
    for (size_t i = 0; i < values.size(); ++i) censored += !std::isnan(x[i]) && std::isinf(majority_value(s, values[i], all));
    const Interval ci = same_seeds && seeds > 0 ? bootstrap(int(seeds), [&](const std::vector<int>& picks) {
      const LineFit f = fit_of(picks);
      return f.points >= 3 ? f.slope : NAN;  // a replicate with fewer than three points does not fit
    }) : Interval{};
    out << "critical-width-fit," << '"' << key << "\"," << values.size() << ',' << fit.points << ',' << censored << ','
        << cell_text(fit.points >= 3 ? fit.slope : NAN) << ',' << cell_text(ci.low) << ',' << cell_text(ci.high) << ','
        << cell_text(fit.intercept) << ',' << ci.replicates << '\n';
  }
  // The theory over the same sizes: m H = |V| (Thm 3.3) and c |V| / log2 N (Thm 3.2).
  std::sort(all_nodes.begin(), all_nodes.end());
  all_nodes.erase(std::unique(all_nodes.begin(), all_nodes.end()), all_nodes.end());
  std::vector<double> fitted_nodes, bound;
  for (double n : all_nodes)
    if (n >= from) {
      fitted_nodes.push_back(n);
      bound.push_back(proofs::moe_width_lower_bound(int(n), 2 * (int(n) - 2) + 1, s.param("bound_c")));
    }
  const LineFit dense = fit_loglog(fitted_nodes, fitted_nodes), lower = fit_loglog(fitted_nodes, bound);
  out << "critical-width-fit,\"theory: dense construction m H = |V| (Thm 3.3)\"," << all_nodes.size() << ','
      << dense.points << ",0," << cell_text(dense.slope) << ",,," << cell_text(dense.intercept) << ",0\n";
  out << "critical-width-fit,\"theory: lower bound c |V| / log2 N (Thm 3.2)\"," << all_nodes.size() << ','
      << lower.points << ",0," << cell_text(lower.slope) << ",,," << cell_text(lower.intercept) << ",0\n";
  return out.str();
}

// One row per (series, |V|, width tried) over the examined runs of every seed's search.
struct Examined {
  std::vector<double> bits, bits_sent, mantissa_bits_sent, exhaustive, test;
  long witnesses = 0;
  int disjointness_bits = 0;
  bool below_critical = false;
};

// Each series' place in the preset's order: tables keyed by it list the series as series_of() does.
std::map<std::string, int> series_ranks(const SectionResult& r) {
  std::map<std::string, int> rank;
  for (const auto& series : series_of(r)) rank.emplace(series.key, int(rank.size()));
  return rank;
}

// Keyed (series rank, series, |V|, m): the series in the preset's order.
std::map<std::tuple<int, std::string, int, long>, Examined> examined(const SectionResult& r) {
  const Section& s = *r.section;
  std::map<std::tuple<int, std::string, int, long>, Examined> out;
  const std::map<std::string, int> rank = series_ranks(r);
  for (const auto& pr : r.points) {
    const auto values = seed_values(s, pr);
    std::vector<int> all(values.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = int(i);
    const double critical = values.empty() ? NAN : majority_value(s, values, all);
    const int nodes = nodes_of(pr);
    for (const auto& seed : pr.seeds)
      for (const auto& probe : seed.probes) {
        if (!probe.task.contains("examined")) continue;
        const auto& e = probe.task["examined"];
        const long m = probe.config.at(s.search->key).get<long>();
        const std::string series = series_key(pr.point);
        auto& row = out[{rank.at(series), series, nodes, m}];
        if (e.at("protocol_bits").get<int>() > 0) {
          row.bits.push_back(e.at("protocol_bits").get<double>());
          row.bits_sent.push_back(e.at("bits_sent").get<double>());
          row.mantissa_bits_sent.push_back(e.at("mantissa_bits_sent").get<double>());
        }
        row.exhaustive.push_back(e.at("exhaustive_accuracy").get<double>());
        row.test.push_back(probe.result.last().test_metric);
        row.witnesses += !e.at("witness").is_null();
        row.disjointness_bits = e.at("disjointness_bits").get<int>();
        row.below_critical = !(double(m) >= critical);  // a censored point (inf) has every width below
      }
  }
  return out;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / double(v.size());
}
double min_of(const std::vector<double>& v) { return v.empty() ? NAN : *std::min_element(v.begin(), v.end()); }
double max_of(const std::vector<double>& v) { return v.empty() ? NAN : *std::max_element(v.begin(), v.end()); }

std::string protocol_table(const SectionResult& r) {
  std::ostringstream out;
  out << "figure,series,nodes,m,models,protocol_bits_mean,protocol_bits_ci_low,protocol_bits_ci_high,protocol_bits_min,"
         "protocol_bits_max,bits_sent_mean,mantissa_bits_sent_mean,disjointness_bits,below_critical\n";
  for (const auto& [key, e] : examined(r)) {
    const Interval ci = bootstrap_mean(e.bits);
    out << "critical-width-protocol,\"" << std::get<1>(key) << "\"," << std::get<2>(key) << ',' << std::get<3>(key)
        << ',' << e.exhaustive.size() << ',' << cell_text(mean(e.bits)) << ',' << cell_text(ci.low) << ','
        << cell_text(ci.high) << ',' << cell_text(min_of(e.bits)) << ',' << cell_text(max_of(e.bits)) << ','
        << cell_text(mean(e.bits_sent)) << ',' << cell_text(mean(e.mantissa_bits_sent)) << ',' << e.disjointness_bits
        << ',' << int(e.below_critical) << '\n';
  }
  return out.str();
}

std::string witness_table(const SectionResult& r) {
  std::ostringstream out;
  out << "figure,series,nodes,m,models,below_critical,exhaustive_accuracy_mean,exhaustive_accuracy_min,test_mean,"
         "models_with_witness\n";
  for (const auto& [key, e] : examined(r))
    out << "critical-width-witness,\"" << std::get<1>(key) << "\"," << std::get<2>(key) << ',' << std::get<3>(key)
        << ',' << e.exhaustive.size() << ',' << int(e.below_critical) << ',' << cell_text(mean(e.exhaustive)) << ','
        << cell_text(min_of(e.exhaustive)) << ',' << cell_text(mean(e.test)) << ',' << e.witnesses << '\n';
  return out.str();
}

// The load's perplexity exp(-sum_e f_e ln f_e): 1 when one expert takes every input, K when all take
// equal shares. Measured on the training batch of the evaluation's step (Evaluation::routing), so it is at
// most that batch's size, and noisy for K near it.
double effective_experts(const std::vector<double>& load) {
  double h = 0;
  for (double f : load)
    if (f > 0) h -= f * std::log(f);
  return std::exp(h);
}

std::string routing_table(const SectionResult& r) {
  const Section& s = *r.section;
  struct Routed {
    std::vector<double> effective, busiest, entropy;
    long passed = 0;
    size_t experts = 0;
  };
  std::map<std::tuple<int, std::string, int, long>, Routed> rows;  // keyed as examined(): the preset's order
  const std::map<std::string, int> rank = series_ranks(r);
  for (const auto& pr : r.points)
    for (const auto& seed : pr.seeds)
      for (const auto& probe : seed.probes) {
        if (probe.result.evals.empty() || probe.result.last().routing.empty()) continue;  // dense, or older
        const auto& stats = probe.result.last().routing.front();  // the one-layer model's one MoE layer
        const std::string series = series_key(pr.point);
        auto& row = rows[{rank.at(series), series, nodes_of(pr), probe.config.at(s.search->key).get<long>()}];
        row.effective.push_back(effective_experts(stats.load));
        row.busiest.push_back(stats.max_over_mean);
        row.entropy.push_back(stats.entropy);
        row.passed += probe.passed(s.search->target);
        row.experts = stats.load.size();
      }
  std::ostringstream out;
  out << "figure,series,nodes,m,experts,models,passed,effective_experts_mean,effective_experts_ci_low,"
         "effective_experts_ci_high,effective_experts_min,effective_experts_max,busiest_over_mean_mean,"
         "router_entropy_mean\n";
  for (const auto& [key, e] : rows) {
    const Interval ci = bootstrap_mean(e.effective);
    out << "critical-width-routing,\"" << std::get<1>(key) << "\"," << std::get<2>(key) << ',' << std::get<3>(key)
        << ',' << e.experts << ',' << e.effective.size() << ',' << e.passed << ',' << cell_text(mean(e.effective))
        << ',' << cell_text(ci.low) << ',' << cell_text(ci.high) << ',' << cell_text(min_of(e.effective)) << ','
        << cell_text(max_of(e.effective)) << ',' << cell_text(mean(e.busiest)) << ',' << cell_text(mean(e.entropy))
        << '\n';
  }
  return out.str();
}

FigureKind make() {
  return {
      .name = "critical-width",
      .help = "the smallest one-layer width m reaching the target on length-2 path, against |V|",
      .keys = {{.name = "bound_c", .help = "the constant c of Thm 3.2's bound c |V| / log2 N", .min = 1e-9, .max = 1e9, .fallback = 1.0},
               {.name = "fit_from", .help = "fit the exponents over the sizes |V| >= fit_from only (0: every size)",
                .min = 0, .max = 1e6, .fallback = 0.0, .integer = true}},
      .check = [](const Section& s) {
        if (!s.search || !s.search->smallest)
          throw UsageError("kind critical-width needs search = { key = \"m\", goal = \"smallest\", ... }");
        const double from = s.param("fit_from");
        if (from <= 0) return;
        std::set<double> sizes, kept;  // of |V|: a fit needs three
        for (const Point& p : s.points())
          if (const auto it = p.options.find("nodes"); it != p.options.end()) sizes.insert(std::stod(it->second));
        for (double n : sizes)
          if (n >= from) kept.insert(n);
        if (kept.size() < 3)
          throw UsageError("fit_from = " + number_text(from) + " leaves " + std::to_string(kept.size()) + " of the " +
                           std::to_string(sizes.size()) + " sizes of |V| to fit (accepted: 0, or a value that keeps " +
                           "at least three)");
      },
      .expand = {},
      .columns = {"seq_len", "heads", "dense_width", "lower_bound", "trapped_seeds"},
      .row = [](const SectionResult& r, const PointResult& pr, const PointSummary& sum) -> std::vector<std::string> {
        const int nodes = int(sum.options.task_options.integer("nodes")), heads = sum.options.heads;
        const int N = 2 * (nodes - 2) + 1;  // the length-2 format
        return {std::to_string(N), std::to_string(heads), std::to_string(proofs::dense_width_upper_bound(nodes)),
                number_text(proofs::moe_width_lower_bound(nodes, N, r.section->param("bound_c"))),
                std::to_string(trapped_seeds(pr))};
      },
      .example = R"(seeds = [1, 2]
fixed = { task = "length2", model = "onelayer", distribution = "disjointness", train-size = 0, test-size = 16, confirm-size = 16, examine = true, steps = 20, batch = 16, eval-every = 10, lr = 0.01 }
axes = { nodes = [5, 7], experts = [0, 2] }
search = { key = "m", min = 1, max = 4, goal = "smallest", target = 0.6 }
)",
      .extra_csvs = {{"fit", fit_table}, {"protocol", protocol_table}, {"witness", witness_table},
                      {"routing", routing_table}}};
}

}  // namespace critical_width_figure

MOESIM_REGISTER_FIGURE(critical_width, critical_width_figure::make);

}  // namespace moesim::sims
