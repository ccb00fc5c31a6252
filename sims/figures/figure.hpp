#pragma once
// A figure kind, as a plug-in: which keys of its own a preset section of this kind takes, how the
// section is checked and its grid expanded, and which columns it adds to the figure's CSV. Each kind is
// one file under sims/figures/ that ends in one registration line,
//
//   MOESIM_REGISTER_FIGURE(topk, make_topk_figure);
//
// and the preset reader, the aggregator and the registry-wide test find it by name. results/plot.py is
// the one other place that names a kind (it draws each kind its own way).
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "run_options.hpp"

namespace moesim::sims {

struct Section;
struct Point;
struct SectionResult;
struct PointResult;

// A number-valued key of the kind's own in a preset section (e.g. bound_c = 1.0).
struct SectionKey {
  std::string name, help;
  double min = 0, max = 0, fallback = 0;
  bool required = false;  // the section must set it
  bool integer = false;   // a whole number
};

// What the common columns computed for one point, for the kind's own columns.
struct PointSummary {
  double majority = NAN;  // searches: the value a majority of the seeds reached (NaN: none)
  double total = NAN;     // non-embedding parameters of the run at that value (plain points: of any run)
  double active = NAN;    // active non-embedding parameters, likewise
  RunOptions options;     // the point's options, resolved (defaults included)
};

struct FigureKind {
  std::string name;  // kind = "NAME" in a preset
  std::string help;  // one line: what the figure shows
  std::vector<SectionKey> keys;
  // Whole-section checks; throws UsageError with what is wrong (the preset reader adds file and line).
  std::function<void(const Section&)> check;
  // Rewrites the grid's points (e.g. sets the width that matches parameters); may be empty.
  std::function<void(const Section&, std::vector<Point>&)> expand;
  // The kind's own columns, after the common ones, and their values for one point.
  std::vector<std::string> columns;
  std::function<std::vector<std::string>(const SectionResult&, const PointResult&, const PointSummary&)> row;
  // A tiny section of this kind (the TOML after its [name] line) that runs in seconds: the registry-wide
  // test sweeps it, and it shows a preset writer what the kind takes.
  std::string example;
  // Further tables of the figure, written as FIGURE.NAME.csv beside FIGURE.csv (fitted exponents, checks
  // of the trained models): NAME -> the table's text. Their first column, `figure`, names what they are.
  std::vector<std::pair<std::string, std::function<std::string(const SectionResult&)>>> extra_csvs;
};

// Adds a kind; a second kind of the same name is a programming error (std::logic_error at start-up).
bool register_figure(FigureKind kind);
const std::vector<FigureKind>& figure_kinds();  // in name order
const FigureKind* find_figure(const std::string& name);
const FigureKind& figure_named(const std::string& name);  // std::logic_error if unknown

#define MOESIM_REGISTER_FIGURE(id, make) \
  [[maybe_unused]] static const bool moesim_registered_figure_##id = ::moesim::sims::register_figure(make())

}  // namespace moesim::sims
