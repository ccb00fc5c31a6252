#include <catch2/catch.hpp>

#include "cli/config_file.hpp"
#include "usage_error.hpp"
#include "cli_run.hpp"

using namespace moesim::sims;
using namespace moesim::testing;
using Args = std::vector<std::string>;

TEST_CASE("config_file: the file's keys become options after the verbs and before the user's own",
          "[sims][config_file]") {
  const auto dir = fresh_dir("moesim_config_file");
  const auto path = (dir / "run.toml").string();
  write_text(path, "task = \"gaussian\"\nsteps = 50\nlr = 0.001\nbidirectional = true\nclip = false\n");
  REQUIRE(expand_config({"train", "--config", path, "--steps", "7"}) ==
          Args{"train", "--bidirectional", "--lr", "0.001", "--steps", "50", "--task", "gaussian", "--steps", "7"});
  REQUIRE(expand_config({"prove", "protocol", "--config=" + path}).size() == 2 + 7);
  REQUIRE(expand_config({"train", "--steps", "7"}) == Args{"train", "--steps", "7"});  // no file: unchanged
}

TEST_CASE("config_file: a malformed file or a table value is refused with file, line and key", "[sims][config_file]") {
  const auto dir = fresh_dir("moesim_config_file_bad");
  write_text(dir / "syntax.toml", "task = \"gaussian\"\nsteps = = 3\n");
  REQUIRE_THROWS_WITH(expand_config({"train", "--config", (dir / "syntax.toml").string()}),
                      Catch::Contains("syntax.toml:2"));
  write_text(dir / "table.toml", "task = \"gaussian\"\naxes = [1, 2]\n");
  REQUIRE_THROWS_WITH(expand_config({"train", "--config", (dir / "table.toml").string()}),
                      Catch::Contains("table.toml:2: key 'axes' must be a string, number or boolean"));
  REQUIRE_THROWS_AS(expand_config({"train", "--config", (dir / "missing.toml").string()}), UsageError);
}

TEST_CASE("config_file: through the command, unknown keys are refused and the file trains", "[sims][config_file]") {
  const auto dir = fresh_dir("moesim_cli_config");
  write_text(dir / "bad.toml", "task = \"gaussian\"\nmodel = \"onelayer\"\nlearning_rate = 0.1\n");
  write_text(dir / "good.toml", "task = \"gaussian\"\nmodel = \"onelayer\"\nn = 16\nsteps = 50\n");
  const auto bad = run_cli("train --config " + (dir / "bad.toml").string() + " --out " + (dir / "bad").string());
  REQUIRE(bad.status == 2);
  REQUIRE(bad.out.find("bad.toml:3: key 'learning_rate' is no option of `moesim train`") != std::string::npos);
  REQUIRE_FALSE(std::filesystem::exists(dir / "bad"));
  const auto good = run_cli("train --config " + (dir / "good.toml").string() + " --out " + (dir / "good").string());
  INFO(good.out);
  REQUIRE(good.status == 0);
  REQUIRE(std::filesystem::exists(dir / "good" / "run.json"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("config_file: a key that is no option of a nested verb names the file and the verb", "[sims][config_file]") {
  const auto dir = fresh_dir("moesim_cli_config_nested");
  write_text(dir / "g.toml", "task = \"length2\"\nnodes = 8\nbogus = 3\n");
  const auto r = run_cli("graphs sample --config " + (dir / "g.toml").string());
  REQUIRE(r.status == 2);
  REQUIRE(r.out.find("g.toml:3: key 'bogus' is no option of `moesim graphs sample`") != std::string::npos);
}

TEST_CASE("config_file: after a verb's positional argument the key is still checked against the verb", "[sims][config_file]") {
  const auto dir = fresh_dir("moesim_cli_config_positional");
  write_text(dir / "s.toml", "jobs = 1\nbogus = 3\n");
  const auto r = run_cli("sweep quick --dry-run --config " + (dir / "s.toml").string());
  REQUIRE(r.status == 2);
  REQUIRE(r.out.find("s.toml:2: key 'bogus' is no option of `moesim sweep`") != std::string::npos);
}
