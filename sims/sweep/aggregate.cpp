#include "sweep/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "figures/figure.hpp"

namespace moesim::sims {
namespace {

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

}  // namespace

std::string section_csv(const SectionResult& result) {
  const Section& s = *result.section;
  const FigureKind& kind = figure_named(s.kind);
  std::set<std::string> axis_names;
  for (const auto& pr : result.points)
    for (const auto& [k, v] : pr.point.axes) axis_names.insert(k);
  std::ostringstream out;
  out << "figure,series";
  for (const auto& k : axis_names) out << ',' << k;
  out << ",seeds,failed,total_params,active_params";
  if (s.search)
    out << ",search_key,search_min,search_max,found,censored,value_majority,value_min,value_max,test_at_value,"
           "train_at_value";
  else out << ",diverged,test_mean,test_min,test_max,train_mean,train_min,train_max";
  // Task-specific metrics of plain runs (SRAVEN: id, ood, ...), named as the records name them.
  std::vector<std::string> metric_names;
  if (!s.search)
    for (const auto& pr : result.points)
      for (const auto& r : pr.seeds)
        if (metric_names.empty() && r.record)
          for (const auto& [name, v] : r.record->result.last().metrics) metric_names.push_back(name);
  for (const auto& name : metric_names) out << ',' << name << "_mean," << name << "_min," << name << "_max";
  for (const auto& column : kind.columns) out << ',' << column;
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
          test.push_back(r.record->result.last().test_metric);
          train.push_back(r.record->result.last().train_metric);
        }
        const double inf = std::numeric_limits<double>::infinity();
        sorted.push_back(r.search->value ? double(*r.search->value) : s.search->smallest ? inf : -inf);
      }
      std::sort(sorted.begin(), sorted.end());
      const size_t need = pr.seeds.size() / 2 + 1;  // a majority of all seeds
      if (sorted.size() >= need) majority = s.search->smallest ? sorted[need - 1] : sorted[sorted.size() - need];
    } else {
      for (const auto& r : pr.seeds) {
        if (!r.record) continue;
        diverged += r.record->result.status == "diverged";
        test.push_back(r.record->result.last().test_metric);
        train.push_back(r.record->result.last().train_metric);
      }
    }
    const RunRecord* counted = nullptr;
    for (const auto& r : pr.seeds)
      if (r.record && (!counted || (r.search && r.search->value && double(*r.search->value) == majority)))
        counted = &*r.record;
    const double total = counted ? double(counted->params.non_embedding) : NAN;
    const double active = counted ? double(counted->params.active_non_embedding) : NAN;
    out << ',' << num(total) << ',' << num(active);
    if (s.search) {
      const Spread v = spread(values), te = spread(test), tr = spread(train);
      out << ',' << s.search->key << ',' << s.search->min << ',' << s.search->max << ',' << found << ',' << censored
          << ',' << num(majority) << ',' << num(v.min)
          << ',' << num(v.max) << ',' << num(te.mean) << ',' << num(tr.mean);
    } else {
      const Spread te = spread(test), tr = spread(train);
      out << ',' << diverged << ',' << num(te.mean) << ',' << num(te.min) << ',' << num(te.max) << ',' << num(tr.mean)
          << ',' << num(tr.min) << ',' << num(tr.max);
    }
    for (const auto& name : metric_names) {
      std::vector<double> v;
      for (const auto& r : pr.seeds) {
        if (!r.record || r.record->result.last().metrics.empty()) continue;  // e.g. diverged before scoring
        const auto& metrics = r.record->result.last().metrics;
        v.push_back(metrics.count(name) ? metrics.at(name) : NAN);
      }
      const Spread m = spread(v);
      out << ',' << num(m.mean) << ',' << num(m.min) << ',' << num(m.max);
    }
    if (kind.row) {
      const PointSummary summary{majority, total, active, parse_run_options(p.options)};
      for (const auto& cell : kind.row(result, pr, summary)) out << ',' << cell;
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace moesim::sims
