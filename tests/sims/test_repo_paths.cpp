#include <catch2/catch.hpp>
#include <stdlib.h>

#include <filesystem>

#include "repo_paths.hpp"

using namespace moesim::sims;

TEST_CASE("repo_paths: the source folder by default, MOESIM_ROOT and MOESIM_PYTHON when set", "[sims][repo_paths]") {
  unsetenv("MOESIM_ROOT");
  unsetenv("MOESIM_PYTHON");
  REQUIRE(std::filesystem::exists(std::filesystem::path(repo_root()) / "sims" / "presets" / "quick.toml"));
  REQUIRE(python_interpreter() == "/usr/bin/python3");
  setenv("MOESIM_ROOT", "/opt/moesim", 1);
  setenv("MOESIM_PYTHON", "/opt/venv/bin/python3", 1);
  REQUIRE(repo_root() == "/opt/moesim");
  REQUIRE(python_interpreter() == "/opt/venv/bin/python3");
  setenv("MOESIM_ROOT", "", 1);  // empty counts as unset
  REQUIRE(repo_root() != "");
  unsetenv("MOESIM_ROOT");
  unsetenv("MOESIM_PYTHON");
}
