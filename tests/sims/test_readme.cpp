// The README's commands, run: every `build/moesim ...` line of its sh blocks runs here as written, in a
// scratch folder holding the files those commands read (the example configs, the quick preset's CSVs), so
// the README cannot drift from the tool. Commands that take minutes run shortened, as kShortened says;
// the table fails when it names a command the README no longer has.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli/cli_run.hpp"

namespace fs = std::filesystem;

namespace readme_test {

// README command -> what is appended to run it in seconds (later options win: TakeLast).
const std::map<std::string, std::string> kShortened = {
    {"build/moesim train --task phonebook --model moe --experts 4 --top-k 2 --entries 128", " --steps 20"},
    {"build/moesim train --task length2 --model onelayer --nodes 8 --m 8 --hidden 32 --lr 0.01 --steps 10000",
     " --steps 20"},
    {"build/moesim train --config docs/examples/run.toml --seed 3", " --steps 20"},
    {"build/moesim train --task sraven --model moe --experts 8 --top-k 2 --features 3 --rule-pool 8", " --steps 5 --d 16"},
    {"build/moesim sweep quick", " --dry-run"},
    {"build/moesim plot results/quick", ""},  // runs as it is (listed so the CSVs copied for it stay needed)
    {"build/moesim sweep quick --out results/quick --jobs 2 --threads-per-job 1", " --dry-run"},
    {"build/moesim sweep paper --only phonebook --device cuda --jobs 4", " --dry-run"},
};

std::vector<std::string> readme_commands() {
  std::ifstream in(fs::path(MOESIM_SOURCE_DIR) / "README.md");
  std::vector<std::string> out;
  bool in_sh = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      in_sh = line == "```sh";
      continue;
    }
    if (!in_sh || line.rfind("build/moesim ", 0) != 0) continue;
    if (const auto comment = line.find("  #"); comment != std::string::npos) line.resize(comment);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.push_back(line);
  }
  return out;
}

}  // namespace readme_test

using namespace readme_test;

TEST_CASE("readme: every command of the README runs", "[sims][readme]") {
  const auto scratch = moesim::testing::fresh_dir("moesim_test_readme");
  fs::create_directories(scratch / "docs");
  fs::copy(fs::path(MOESIM_SOURCE_DIR) / "docs" / "examples", scratch / "docs" / "examples", fs::copy_options::recursive);
  fs::create_directories(scratch / "results" / "quick");
  for (const auto& e : fs::directory_iterator(fs::path(MOESIM_SOURCE_DIR) / "results" / "quick"))
    if (e.path().extension() == ".csv") fs::copy_file(e.path(), scratch / "results" / "quick" / e.path().filename());
  const auto commands = readme_commands();
  REQUIRE(commands.size() >= 10);
  std::set<std::string> used;
  for (const auto& command : commands) {
    std::string args = command.substr(std::string("build/moesim ").size());
    if (kShortened.count(command)) args += kShortened.at(command), used.insert(command);
    const std::string shell = "cd " + scratch.string() + " && " + MOESIM_BINARY + " " + args + " > out.log 2>&1";
    INFO(command);
    REQUIRE(std::system(shell.c_str()) == 0);
  }
  for (const auto& [command, extra] : kShortened) {
    INFO("kShortened names a command the README no longer has: " << command);
    REQUIRE(used.count(command));
  }
  fs::remove_all(scratch);
}

TEST_CASE("readme: every example config trains", "[sims][readme]") {
  const auto scratch = moesim::testing::fresh_dir("moesim_test_examples");
  int examples = 0;
  for (const auto& e : fs::directory_iterator(fs::path(MOESIM_SOURCE_DIR) / "docs" / "examples")) {
    if (e.path().extension() != ".toml") continue;
    ++examples;
    const auto r = moesim::testing::run_cli("train --config " + e.path().string() + " --steps 10 --out " +
                                            (scratch / e.path().stem()).string());
    INFO(e.path() << ": " << r.out);
    REQUIRE(r.status == 0);
  }
  REQUIRE(examples >= 2);
  fs::remove_all(scratch);
}
