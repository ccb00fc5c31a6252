#pragma once
// Where moesim finds the files it ships beside the binary (presets, peers, the plotting script), and the
// Python that runs its scripts.
#include <string>

namespace moesim::sims {

// The repository: $MOESIM_ROOT when set (a binary carried away from where it was built, e.g. to a GPU
// machine), else the source folder it was built from.
std::string repo_root();

// Debian's /usr/bin/python3 (with its networkx, torch, matplotlib); $MOESIM_PYTHON names another.
std::string python_interpreter();

}  // namespace moesim::sims
