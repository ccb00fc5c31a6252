// Presets: the grid they declare, and every kind of mistake refused before any run, with file and line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "usage_error.hpp"
#include "sweep/preset.hpp"
#include "../../scratch_dir.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

namespace {

// A preset file NAME.toml holding TEXT. (Not `write_preset`: test_sweep_runner.cpp has one taking a path, and
// a unity build that puts both files in one translation unit would call that one for string literals.)
std::string preset_file(const std::string& name, const std::string& text) {
  static const auto dir = moesim::testing::fresh_dir("moesim_test_preset");
  const auto path = dir / (name + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

const char* kGood = R"(
name = "tiny"
[grid]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", steps = 10, lr = 0.001 }
axes = { experts = [0, 4], m = [2, 4, 8] }
[cap]
kind = "memorization"
seeds = [5, 6, 7]
budget_factor = 0
fixed = { task = "gaussian", model = "onelayer" }
axes.variants = [{ label = "a", experts = 2 }, { label = "b", experts = 0, hidden = 64 }]
search = { key = "n", min = 16, max = 1024, goal = "largest", target = 0.9 }
)";

}  // namespace

TEST_CASE("preset: a valid preset expands into its grid", "[sims][preset]") {
  const auto p = load_preset(preset_file("good", kGood));
  REQUIRE(p.name == "tiny");
  REQUIRE(p.hash.size() == 16);
  REQUIRE(p.sections.size() == 2);
  const auto& cap = p.sections[0];  // tables come in key order: cap, grid
  REQUIRE(cap.name == "cap");
  REQUIRE(cap.search);
  REQUIRE_FALSE(cap.search->smallest);
  const auto cap_points = cap.points();
  REQUIRE(cap_points.size() == 2);
  REQUIRE(cap_points[0].label == "a");
  REQUIRE(cap_points[1].options.at("hidden") == "64");
  const auto grid = p.sections[1].points();
  REQUIRE(grid.size() == 6);
  for (const auto& pt : grid) {
    REQUIRE(pt.options.at("steps") == "10");
    REQUIRE(pt.options.at("lr") == "0.001");  // floats keep their shortest text
  }
  REQUIRE(grid[0].axes.at("experts") == "0");
  REQUIRE(grid[5].axes.at("m") == "8");
}

TEST_CASE("preset: typos and bad values are refused with file, line and key", "[sims][preset]") {
  struct Bad {
    const char* text;
    const char* says;
  };
  const Bad bad[] = {
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", stpes = 10 }\n", "stpes"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", lr = -1 }\n", "lr"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", m = \"wide\" }\n", "m"},
      {"[a]\nkind = \"sideways\"\nseeds = [1]\n", "kind"},
      {"[a]\nkind = \"shortest-path\"\nseeds = []\n", "seeds"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1, 1]\n", "twice"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", seed = 3 }\n", "seed"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\" }\nsearch = { key = \"n\", min = 10 }\n", "max"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\" }\nsearch = { key = \"n\", min = 10, max = 5 }\n", "min"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"phonebook\", model = \"onelayer\" }\n", "cannot train"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"phonebook\", model = \"dense\" }\naxes = { d = [64, 30] }\n", "heads"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\" }\ncolour = 3\n", "colour"},
      {"[a]\nkind = \"shortest-path\"\nseeds = [1\n", ":3:"},
      {"speed = 3\n", "speed"},
      {"[a]\nkind = \"parameter-matched\"\nseeds = [1]\nfixed = { task = \"length2\", model = \"onelayer\" }\n", "dense_width"},
  };
  int i = 0;
  for (const auto& b : bad) {
    const auto path = preset_file("bad" + std::to_string(i++), b.text);
    INFO(b.text);
    try {
      load_preset(path);
      FAIL("accepted a bad preset");
    } catch (const UsageError& e) {
      const std::string msg = e.what();
      INFO(msg);
      REQUIRE(msg.rfind(path + ":", 0) == 0);  // file:line first
      REQUIRE(msg.find(b.says) != std::string::npos);
      REQUIRE(msg.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("preset: the shipped presets load", "[sims][preset]") {
  for (const char* name : {"quick", "paper", "topk"}) {
    INFO(name);
    const auto p = load_preset(resolve_preset(name));
    REQUIRE(p.sections.size() >= (std::string(name) == "topk" ? 1u : 5u));
  }
}
