#pragma once
// Sweep presets: TOML files (sims/presets/) that declare, per figure, the fixed run options, the axes
// of the grid, the seeds, and the search each point runs, if any. Keys of `fixed` and of the axes are
// the options of `moesim train` (without dashes); every value is checked by the same rules as on the
// command line, and every expanded point is checked whole, before any run starts.
//
//   [width]                                  # one figure: its CSV is width.csv
//   kind = "critical-width"                  # what the figure shows (kinds below)
//   seeds = [1, 2, 3]
//   fixed = { task = "length2", model = "onelayer", steps = 2000 }
//   axes = { nodes = [6, 8, 10], experts = [0, 4, 16] }
//   search = { key = "m", min = 1, max = 32, goal = "smallest", target = 0.95 }
//
// An axis is a list of values, or a list of tables that set several options together (and may carry a
// `label`, the series name in the figure), e.g. variants = [{ label = "dense", experts = 0 }, ...].
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run_options.hpp"

namespace moesim::sims {

// Bracket, then bisect, over the grid min, min+step, ..., max of one integer option.
struct Search {
  std::string key;
  long min = 1, max = 1, step = 1, start = 1;
  bool smallest = true;     // goal: the smallest passing value (critical width) or the largest (capacity)
  double target = 0.95;     // a run passes when its test metric reaches this and it did not diverge
  double resolution = 0.0;  // bisection stops at hi - lo <= max(step, resolution * value)
};

struct Point {
  std::string label;  // the series name ("" without one)
  Options axes;       // the axis values that identify the point (label excluded)
  Options options;    // fixed values, then the axis values
};

struct Section {
  std::string name, kind, title;
  int line = 0;  // where the section starts in the file
  std::vector<uint64_t> seeds;
  Options fixed;
  std::vector<std::vector<std::pair<std::string, Options>>> axes;  // axis -> (label, options) per value
  std::optional<Search> search;
  double bound_c = 1.0;  // critical-width, parameter-matched: the constant of Thm 3.2's bound
  int dense_width = 0;   // parameter-matched: m_d (MoE points get m = m_d / sqrt(K), hidden to match totals)
  std::vector<Point> points() const;  // the grid; axes in key order, the first slowest
};

struct Preset {
  std::string name, path, description;
  std::string hash;  // FNV-1a 64 of the file's bytes, hex
  std::vector<Section> sections;
};

// A number as a preset value's text: the shortest that reads back the same ("0.95", "1e-05").
std::string number_text(double v);

// The figure kinds a section may have.
const std::vector<std::string>& figure_kinds();

// Throws UsageError "FILE:LINE: KEY: what is wrong (accepted: ...)" for anything malformed.
Preset load_preset(const std::string& path);

// A preset named by its file or by its name under sims/presets/ ("quick" -> .../sims/presets/quick.toml).
std::string resolve_preset(const std::string& name_or_path);

}  // namespace moesim::sims
