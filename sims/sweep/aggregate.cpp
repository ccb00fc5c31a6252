#include "sweep/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "proofs/bounds.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

std::string num(double v) { return std::isfinite(v) ? number_text(v) : ""; }

struct Spread {
  double mean = NAN, min = NAN, max = NAN;
};

Spread spread(const std::vector<double>& v) {
  if (v.empty()) return {};
  Spread s{0, v[0], v[0]};
  for (double x : v) s.mean += x / double(v.size()), s.min = std::min(s.min, x), s.max = std::max(s.max, x);
  return s;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

int option_int(const Point& p, const char* name, int fallback) {
  return p.options.count(name) ? std::stoi(p.options.at(name)) : fallback;
}

// SRAVEN: per complexity (features), the top-k of the MoE points with the best mean OOD accuracy, and
// the spread of each seed's own best k.
struct BestK {
  int k = 0, k_min = 0, k_max = 0;
};

std::map<std::string, BestK> best_top_k(const SectionResult& result) {
  struct Scores {
    std::vector<std::pair<int, std::vector<double>>> by_k;  // (k, OOD accuracy per seed)
  };
  std::map<std::string, Scores> groups;
  for (const auto& pr : result.points) {
    const auto& o = pr.point.options;
    if (!o.count("features") || !o.count("top-k") || o.at("model") != "moe") continue;
    std::vector<double> ood;
    for (const auto& r : pr.seeds)
      ood.push_back(r.record.is_null() ? 0.0 : r.record["result"].contains("metrics") ? r.record["result"]["metrics"].value("ood", 0.0) : 0.0);
    groups[o.at("features")].by_k.push_back({std::stoi(o.at("top-k")), ood});
  }
  std::map<std::string, BestK> best;
  for (const auto& [features, g] : groups) {
    BestK b;
    double top = -1;
    for (const auto& [k, ood] : g.by_k)
      if (const double mean = spread(ood).mean; mean > top) top = mean, b.k = k;
    b.k_min = 1 << 30, b.k_max = 0;
    for (size_t seed = 0; seed < g.by_k.front().second.size(); ++seed) {
      int k_best = 0;
      double best_seed = -1;
      for (const auto& [k, ood] : g.by_k)
        if (ood[seed] > best_seed) best_seed = ood[seed], k_best = k;
      b.k_min = std::min(b.k_min, k_best), b.k_max = std::max(b.k_max, k_best);
    }
    best[features] = b;
  }
  return best;
}

}  // namespace

std::string section_csv(const SectionResult& result) {
  const Section& s = *result.section;
  std::set<std::string> axis_names;
  for (const auto& pr : result.points)
    for (const auto& [k, v] : pr.point.axes) axis_names.insert(k);
  std::ostringstream out;
  out << "figure,series";
  for (const auto& k : axis_names) out << ',' << k;
  out << ",seeds,failed,total_params,active_params";
  if (s.search) out << ",search_key,found,censored,value_majority,value_min,value_max,test_at_value,train_at_value";
  else out << ",diverged,test_mean,test_min,test_max,train_mean,train_min,train_max";
  // Task-specific metrics of plain runs (SRAVEN: id, ood, ...), named as the records name them.
  std::vector<std::string> metric_names;
  if (!s.search)
    for (const auto& pr : result.points)
      for (const auto& r : pr.seeds)
        if (metric_names.empty() && !r.record.is_null() && r.record["result"].contains("metrics"))
          for (const auto& [name, v] : r.record["result"]["metrics"].items()) metric_names.push_back(name);
  for (const auto& name : metric_names) out << ',' << name << "_mean," << name << "_min," << name << "_max";
  const auto best = s.kind == "topk" ? best_top_k(result) : std::map<std::string, BestK>{};
  if (s.kind == "topk") out << ",best_k,best_k_min,best_k_max";
  const bool graph_bound = s.kind == "critical-width" || s.kind == "parameter-matched";
  if (graph_bound) out << ",seq_len,heads,dense_width,lower_bound";
  if (s.kind == "parameter-matched") out << ",breaking_k";
  if (s.kind == "memorization") out << ",bits_per_total,bits_per_active";
  if (s.kind == "phonebook") out << ",bits_per_total";
  out << '\n';

  for (const auto& pr : result.points) {
    const Point& p = pr.point;
    out << s.kind << ',' << csv_field(p.label);
    for (const auto& k : axis_names) out << ',' << csv_field(p.axes.count(k) ? p.axes.at(k) : "");
    long failed = 0;
    for (const auto& r : pr.seeds) failed += r.failed;
    out << ',' << pr.seeds.size() << ',' << failed;
    // Parameter counts: of the run at the majority value (searches over a width change them), else any run.
    double majority = NAN;
    std::vector<double> values, test, train;
    long found = 0, censored = 0, diverged = 0;
    if (s.search) {
      std::vector<double> sorted;  // not found: +inf for goal smallest, -inf for largest
      for (const auto& r : pr.seeds) {
        if (!r.search || r.failed) continue;
        if (r.search->value) {
          values.push_back(double(*r.search->value));
          found += !r.search->censored, censored += r.search->censored;
          test.push_back(r.record["result"]["test_metric"].get<double>());
          train.push_back(r.record["result"]["train_metric"].get<double>());
        }
        const double inf = std::numeric_limits<double>::infinity();
        sorted.push_back(r.search->value ? double(*r.search->value) : s.search->smallest ? inf : -inf);
      }
      std::sort(sorted.begin(), sorted.end());
      const size_t need = pr.seeds.size() / 2 + 1;  // a majority of all seeds
      if (sorted.size() >= need) majority = s.search->smallest ? sorted[need - 1] : sorted[sorted.size() - need];
    } else {
      for (const auto& r : pr.seeds) {
        if (r.record.is_null()) continue;
        diverged += r.record["result"]["status"] == "diverged";
        test.push_back(r.record["result"]["test_metric"].get<double>());
        train.push_back(r.record["result"]["train_metric"].get<double>());
      }
    }
    const json* counted = nullptr;
    for (const auto& r : pr.seeds)
      if (!r.record.is_null() && (!counted || (r.search && r.search->value && double(*r.search->value) == majority)))
        counted = &r.record;
    const double total = counted ? (*counted)["params"]["non_embedding"].get<double>() : NAN;
    const double active = counted ? (*counted)["params"]["active_non_embedding"].get<double>() : NAN;
    out << ',' << num(total) << ',' << num(active);
    if (s.search) {
      const Spread v = spread(values), te = spread(test), tr = spread(train);
      out << ',' << s.search->key << ',' << found << ',' << censored << ',' << num(majority) << ',' << num(v.min)
          << ',' << num(v.max) << ',' << num(te.mean) << ',' << num(tr.mean);
    } else {
      const Spread te = spread(test), tr = spread(train);
      out << ',' << diverged << ',' << num(te.mean) << ',' << num(te.min) << ',' << num(te.max) << ',' << num(tr.mean)
          << ',' << num(tr.min) << ',' << num(tr.max);
    }
    for (const auto& name : metric_names) {
      std::vector<double> v;
      for (const auto& r : pr.seeds)
        if (!r.record.is_null() && r.record["result"].contains("metrics"))
          v.push_back(r.record["result"]["metrics"].value(name, double(NAN)));  // NAN alone is a float: value<float>
      const Spread m = spread(v);
      out << ',' << num(m.mean) << ',' << num(m.min) << ',' << num(m.max);
    }
    if (s.kind == "topk") {
      const auto b = best.find(p.options.count("features") ? p.options.at("features") : "");
      if (b != best.end() && p.options.count("top-k") && p.options.at("model") == "moe")
        out << ',' << b->second.k << ',' << b->second.k_min << ',' << b->second.k_max;
      else
        out << ",,,";
    }
    if (graph_bound) {
      const int nodes = option_int(p, "nodes", RunOptions{}.nodes), heads = option_int(p, "heads", RunOptions{}.heads);
      const int N = 2 * (nodes - 2) + 1;  // the length-2 format
      out << ',' << N << ',' << heads << ','
          << (s.kind == "parameter-matched" ? s.dense_width : proofs::dense_width_upper_bound(nodes)) << ','
          << num(proofs::moe_width_lower_bound(nodes, N, s.bound_c));
      if (s.kind == "parameter-matched") out << ',' << proofs::breaking_expert_count(N, heads, s.bound_c);
    }
    if (s.kind == "memorization") out << ',' << num(majority / total) << ',' << num(majority / active);
    if (s.kind == "phonebook") out << ',' << num(majority * std::log2(1e8) / total);
    out << '\n';
  }
  return out.str();
}

}  // namespace moesim::sims
