#include <catch2/catch.hpp>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "bench/peer.hpp"
#include "../../scratch_dir.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

namespace {

// A stand-in interpreter that prints what a peer would, whatever the script. One file per use: ctest runs
// test cases side by side.
std::string fake_python(const std::string& name, const std::string& body) {
  const auto path = moesim::testing::fresh_dir("moesim_fake_python_" + name) / "python.sh";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  chmod(path.c_str(), 0755);
  return path.string();
}

}  // namespace

TEST_CASE("peer: reads the number after 'key:' at the start of a line", "[sims][peer]") {
  setenv("MOESIM_PYTHON", fake_python("reads", "echo 'warming up'; echo 'tokens_per_second: 1234.5'; echo 'x tokens_per_second: 9'").c_str(), 1);
  const auto r = run_python_peer("torch_train.py", "--steps 1", "tokens_per_second");
  REQUIRE(r.value);
  REQUIRE(*r.value == 1234.5);
  REQUIRE(r.output.find("warming up") != std::string::npos);
  unsetenv("MOESIM_PYTHON");
}

TEST_CASE("peer: no number (a missing module, a crash) gives no value and keeps the peer's words", "[sims][peer]") {
  setenv("MOESIM_PYTHON", fake_python("crash", "echo \"ModuleNotFoundError: No module named 'torch'\"; exit 1").c_str(), 1);
  auto r = run_python_peer("torch_train.py", "", "tokens_per_second");
  REQUIRE_FALSE(r.value);
  REQUIRE(r.output.find("No module named 'torch'") != std::string::npos);
  setenv("MOESIM_PYTHON", fake_python("text", "echo 'tokens_per_second: fast'").c_str(), 1);
  r = run_python_peer("torch_train.py", "", "tokens_per_second");
  REQUIRE_FALSE(r.value);
  unsetenv("MOESIM_PYTHON");
}

TEST_CASE("peer: line() gives the text after 'key: ' on the first line that starts with it", "[sims][peer]") {
  PeerResult r;
  r.output = "x peer: no\npeer: mode=strong precision=bf16\npeer: second\ntokens_per_second: 3\n";
  REQUIRE(r.line("peer") == "mode=strong precision=bf16");
  REQUIRE(r.line("tokens_per_second") == "3");
  REQUIRE(r.line("absent").empty());
}
