#pragma once
// Sweep presets: TOML files (sims/presets/) that declare, per figure, the fixed run options, the axes
// of the grid, the seeds, and the search each point runs, if any. Keys of `fixed` and of the axes are
// the options of `moesim train` (without dashes); every value is checked by the same rules as on the
// command line, and every expanded point is checked whole, before any run starts.
//
//   [width]                                  # one figure: its CSV is width.csv
//   kind = "critical-width"                  # what the figure shows (a kind of sims/figures/)
//   seeds = [1, 2, 3]
//   fixed = { task = "length2", model = "onelayer", steps = 2000 }
//   axes = { nodes = [6, 8, 10], experts = [0, 4, 16] }
//   search = { key = "m", min = 1, max = 32, goal = "smallest", target = 0.95 }
//
// An axis is a list of values, or a list of tables that set several options together (and may carry a
// `label`, the series name in the figure), e.g. variants = [{ label = "dense", experts = 0 }, ...].
// A kind may take keys of its own (figures/: e.g. bound_c, dense_width).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "number_text.hpp"
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
  std::map<std::string, double> params;  // the keys of its kind's own (figures/), defaults included
  double param(const std::string& key) const { return params.at(key); }
  std::vector<Point> points() const;  // the grid, expanded by its kind; axes in key order, the first slowest
};

struct Preset {
  std::string name, path, description;
  std::string hash;  // FNV-1a 64 of the file's bytes, hex
  std::vector<Section> sections;
};

// Throws UsageError "FILE:LINE: KEY: what is wrong (accepted: ...)" for anything malformed.
Preset load_preset(const std::string& path);

// A preset named by its file or by its name under sims/presets/ ("quick" -> .../sims/presets/quick.toml).
std::string resolve_preset(const std::string& name_or_path);

}  // namespace moesim::sims
