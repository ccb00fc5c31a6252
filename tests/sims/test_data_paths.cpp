// The data folder: MOESIM_ROOT in either layout, else the binary's installed share folder, else the source
// tree; the Python, MOESIM_PYTHON or Debian's.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <filesystem>

#include "cli/cli_run.hpp"
#include "data_paths.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

TEST_CASE("data_paths: the source tree in a build folder, and Debian's Python", "[sims][data_paths]") {
  ::unsetenv("MOESIM_PYTHON");
  const auto& d = data_paths();  // the test binary lives in the build folder: the source tree is found
  REQUIRE(fs::exists(fs::path(d.presets) / "quick.toml"));
  REQUIRE(fs::exists(d.plot_script));
  REQUIRE(fs::exists(fs::path(d.peers) / "torch_train.py"));
  REQUIRE(fs::exists(fs::path(d.examples) / "run.toml"));
  REQUIRE(python_interpreter() == "/usr/bin/python3");
  ::setenv("MOESIM_PYTHON", "/opt/venv/bin/python3", 1);
  REQUIRE(python_interpreter() == "/opt/venv/bin/python3");
  ::unsetenv("MOESIM_PYTHON");
}

TEST_CASE("data_paths: MOESIM_ROOT in the installed layout, or refused with one line", "[sims][data_paths]") {
  const auto root = moesim::testing::fresh_dir("moesim_test_data_root");
  fs::create_directories(root / "presets");
  fs::copy_file(fs::path(MOESIM_SOURCE_DIR) / "sims" / "presets" / "quick.toml", root / "presets" / "quick.toml");
  const auto r = moesim::testing::run_cli("sweep quick --dry-run", "MOESIM_ROOT=" + root.string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find(root.string()) != std::string::npos);  // the preset came from there
  moesim::testing::require_refused({"sweep quick --dry-run"}, "MOESIM_ROOT=/nonexistent/moesim");
}
