#include "bench/peer.hpp"

#include <cstdio>
#include <sstream>

#include "data_paths.hpp"

namespace moesim::sims {

std::string PeerResult::line(const std::string& key) const {
  std::istringstream lines(output);
  for (std::string l; std::getline(lines, l);)
    if (l.rfind(key + ": ", 0) == 0) return l.substr(key.size() + 2);
  return "";
}

PeerResult run_python_peer(const std::string& script, const std::string& args, const std::string& key) {
  const std::string cmd = python_interpreter() + " " + data_paths().peers + "/" + script + " " + args + " 2>&1";
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
