#include "bench/peer.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace moesim::sims {

PeerResult run_python_peer(const std::string& script, const std::string& args, const std::string& key) {
  // Debian's python by default; MOESIM_PYTHON names another (e.g. on a GPU machine with its own PyTorch).
  // $MOESIM_ROOT points at the repository when the binary runs away from where it was built.
  const char* python = std::getenv("MOESIM_PYTHON");
  const char* root = std::getenv("MOESIM_ROOT");
  const std::string cmd = std::string(python && *python ? python : "/usr/bin/python3") + " " +
                          (root && *root ? root : MOESIM_SOURCE_DIR) + "/tests/peers/" + script + " " + args + " 2>&1";
  PeerResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.output += buf;
  ::pclose(pipe);
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(key + ":", 0) == 0) {
      try {
        r.value = std::stod(line.substr(key.size() + 1));
      } catch (const std::exception&) {
      }
    }
  }
  return r;
}

}  // namespace moesim::sims
