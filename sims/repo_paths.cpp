#include "repo_paths.hpp"

#include <cstdlib>

namespace moesim::sims {

std::string repo_root() {
  const char* root = std::getenv("MOESIM_ROOT");
  return root && *root ? root : MOESIM_SOURCE_DIR;
}

std::string python_interpreter() {
  const char* python = std::getenv("MOESIM_PYTHON");
  return python && *python ? python : "/usr/bin/python3";
}

}  // namespace moesim::sims
