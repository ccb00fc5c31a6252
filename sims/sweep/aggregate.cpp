#include "sweep/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "figures/figure.hpp"
#include "model_factory.hpp"
#include "sweep/bootstrap.hpp"

namespace moesim::sims {
namespace {

// An interval's end: a number, "inf" or "-inf" when it is unbounded (a majority that no width in range
// reaches), "" when there is no interval.
std::string end(double v) { return std::isinf(v) ? (v > 0 ? "inf" : "-inf") : cell_text(v); }

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

std::vector<double> seed_values(const Section& s, const PointResult& pr) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> out;
  for (const auto& r : pr.seeds) {
    if (!r.search || r.failed) continue;
    out.push_back(r.search->value ? double(*r.search->value) : s.search->smallest ? inf : -inf);
  }
  return out;
}

double majority_value(const Section& s, const std::vector<double>& values, const std::vector<int>& picks) {
  std::vector<double> sorted;
  for (int i : picks) sorted.push_back(values[i]);
  std::sort(sorted.begin(), sorted.end());
  const size_t need = sorted.size() / 2 + 1;
  if (sorted.empty()) return NAN;
  return s.search->smallest ? sorted[need - 1] : sorted[sorted.size() - need];
}

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
    out << ",search_key,search_min,search_max,found,censored,none_in_range,value_majority,value_ci_low,"
           "value_ci_high,value_min,value_max,test_at_value,train_at_value";
  else out << ",diverged,test_mean,test_min,test_max,test_ci_low,test_ci_high,train_mean,train_min,train_max";
  // Task-specific metrics of plain runs (SRAVEN: id, ood, ...), named as the records name them.
  std::vector<std::string> metric_names;
  if (!s.search)
    for (const auto& pr : result.points)
      for (const auto& r : pr.seeds)
        if (metric_names.empty() && r.record)
          for (const auto& [name, v] : r.record->result.last().metrics) metric_names.push_back(name);
  for (const auto& name : metric_names)
    out << ',' << name << "_mean," << name << "_min," << name << "_max," << name << "_ci_low," << name << "_ci_high";
  // The tasks' trivial baselines (and SRAVEN's ceilings) on the test sets, mean over the seeds' runs.
  std::set<std::string> baseline_names;
  for (const auto& pr : result.points)
    for (const auto& r : pr.seeds)
      if (r.record)
        for (const auto& [name, v] : r.record->baselines) baseline_names.insert(name);
  for (const auto& name : baseline_names) out << ",baseline_" << name;
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
    Interval majority_ci;
    std::vector<double> values, test, train;
    long found = 0, censored = 0, none = 0, diverged = 0;
    if (s.search) {
      const std::vector<double> reached = seed_values(s, pr);
      for (const auto& r : pr.seeds) {
        if (!r.search || r.failed) continue;
        if (!r.search->value) {  // ran, and nothing in range passed
          ++none;
          continue;
        }
        values.push_back(double(*r.search->value));
        found += !r.search->censored, censored += r.search->censored;
        test.push_back(r.record->result.last().test_metric);
        train.push_back(r.record->result.last().train_metric);
      }
      std::vector<int> all(reached.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = int(i);
      majority = majority_value(s, reached, all);
      if (std::isinf(majority)) majority = NAN;  // no majority reaches a value in range
      majority_ci = bootstrap(int(reached.size()), [&](const std::vector<int>& picks) {
        return majority_value(s, reached, picks);
      });
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
    double total = counted ? double(counted->params.non_embedding) : NAN;
    double active = counted ? double(counted->params.active_non_embedding) : NAN;
    if (!counted) {  // no run to read them from: the options give them, unless the searched value sizes the model
      Options at = p.options;
      if (s.search) at[s.search->key] = std::to_string(s.search->min);
      const auto counts = non_embedding_counts(parse_run_options(at));
      if (s.search) at[s.search->key] = std::to_string(s.search->max);
      if (!s.search || non_embedding_counts(parse_run_options(at)).non_embedding == counts.non_embedding)
        total = double(counts.non_embedding), active = double(counts.active_non_embedding);
    }
    out << ',' << cell_text(total) << ',' << cell_text(active);
    if (s.search) {
      const Spread v = spread(values), te = spread(test), tr = spread(train);
      out << ',' << s.search->key << ',' << s.search->min << ',' << s.search->max << ',' << found << ',' << censored
          << ',' << none << ',' << cell_text(majority) << ',' << end(majority_ci.low) << ',' << end(majority_ci.high) << ','
          << cell_text(v.min) << ',' << cell_text(v.max) << ',' << cell_text(te.mean) << ',' << cell_text(tr.mean);
    } else {
      const Spread te = spread(test), tr = spread(train);
      const Interval ci = bootstrap_mean(test);
      out << ',' << diverged << ',' << cell_text(te.mean) << ',' << cell_text(te.min) << ',' << cell_text(te.max) << ','
          << cell_text(ci.low) << ',' << cell_text(ci.high) << ',' << cell_text(tr.mean) << ',' << cell_text(tr.min)
          << ',' << cell_text(tr.max);
    }
    for (const auto& name : metric_names) {
      std::vector<double> v;
      for (const auto& r : pr.seeds) {
        if (!r.record || r.record->result.last().metrics.empty()) continue;  // e.g. diverged before scoring
        const auto& metrics = r.record->result.last().metrics;
        v.push_back(metrics.count(name) ? metrics.at(name) : NAN);
      }
      const Spread m = spread(v);
      const Interval ci = bootstrap_mean(v);
      out << ',' << cell_text(m.mean) << ',' << cell_text(m.min) << ',' << cell_text(m.max) << ',' << cell_text(ci.low)
          << ',' << cell_text(ci.high);
    }
    for (const auto& name : baseline_names) {
      std::vector<double> v;
      for (const auto& r : pr.seeds)
        if (r.record && r.record->baselines.count(name)) v.push_back(r.record->baselines.at(name));
      out << ',' << cell_text(spread(v).mean);
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
