#pragma once
// Where moesim finds the files it reads at run time (the presets, the plotting script, the benchmark
// peers, the example configs) and the Python that runs its scripts. The data folder is, in order:
//   1. $MOESIM_ROOT, when set: an installed data folder (PREFIX/share/moesim) or a moesim source tree;
//   2. beside the binary: BIN/../share/moesim, where `cmake --install` puts them;
//   3. the source tree the binary was built from (a binary in its build folder).
// An installed layout holds presets/, plot.py, peers/, examples/; a source tree holds them at
// sims/presets/, results/plot.py, tests/peers/, docs/examples/.
#include <string>

namespace moesim::sims {

struct DataPaths {
  std::string root;         // the data folder found
  std::string found_by;     // "MOESIM_ROOT", "installed beside the binary", "the source tree"
  std::string presets;      // *.toml
  std::string plot_script;  // plot.py
  std::string peers;        // *.py
  std::string examples;     // *.toml
};

// The data folder; throws UsageError naming the places tried when none holds the presets.
const DataPaths& data_paths();

// Debian's /usr/bin/python3 (with its networkx, torch, matplotlib); $MOESIM_PYTHON names another.
std::string python_interpreter();

}  // namespace moesim::sims
