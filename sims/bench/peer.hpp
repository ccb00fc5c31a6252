#pragma once
// Peers: reference implementations in other ecosystems (tests/peers/), run as a child process so that a
// benchmark compares both sides in one run.
#include <optional>
#include <string>

namespace moesim::sims {

struct PeerResult {
  std::optional<double> value;  // the number printed after "<key>:" on a line of the peer's output
  std::string output;           // everything the peer printed (its reason when value is empty)
  // The text after "<key>: " on the first line that starts with it; "" if none.
  std::string line(const std::string& key) const;
};

// Runs `/usr/bin/python3 <repo>/tests/peers/<script> <args>` (Debian's python with its networkx and torch;
// $MOESIM_PYTHON overrides the interpreter) and reads "<key>: <number>" from its output.
PeerResult run_python_peer(const std::string& script, const std::string& args, const std::string& key);

}  // namespace moesim::sims
