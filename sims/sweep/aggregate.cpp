#include "sweep/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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
  const bool graph_bound = s.kind == "critical-width" || s.kind == "parameter-matched";
  if (graph_bound) out << ",seq_len,dense_width,lower_bound";
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
    if (graph_bound) {
      const int nodes = option_int(p, "nodes", 8), heads = option_int(p, "heads", 1);
      const int N = 2 * (nodes - 2) + 1;  // the length-2 format
      out << ',' << N << ',' << (s.kind == "parameter-matched" ? s.dense_width : proofs::dense_width_upper_bound(nodes)) << ','
          << num(proofs::moe_width_lower_bound(nodes, N, s.bound_c) / heads);
      if (s.kind == "parameter-matched") out << ',' << proofs::breaking_expert_count(N, heads, s.bound_c);
    }
    if (s.kind == "memorization") out << ',' << num(majority / total) << ',' << num(majority / active);
    if (s.kind == "phonebook") out << ',' << num(majority * std::log2(1e8) / total);
    out << '\n';
  }
  return out.str();
}

}  // namespace moesim::sims
