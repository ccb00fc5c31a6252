#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

TEST_CASE("train: bad values and options that do not fit exit 2 with one line", "[sims][cli]") {
  require_refused({
      "train --task phonebook --model onelayer",
      "train --task length2 --model dense",
      "train --task phonebook --model dense --d 64 --heads 3",
      "train --task phonebook --model moe --experts 2 --top-k 3",
      "train --task gaussian --model onelayer --lr -1",
      "train --task gaussian --model onelayer --lr nan",
      "train --task length2 --model onelayer --p inf",
      "train --task phonebook --model dense --config /nonexistent.toml",
      "train --task sraven --model onelayer",
      "train --task length2 --model onelayer --out /dev/null",
      "train --task gaussian --model onelayer --device cuda --device tpu",
  });
}

TEST_CASE("train: writes its record and checkpoint, a refused run writes nothing", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_train");
  const auto good = run_cli("train --task gaussian --model onelayer --n 16 --steps 50 --out " + (dir / "good").string());
  INFO(good.out);
  REQUIRE(good.status == 0);
  REQUIRE(fs::exists(dir / "good" / "run.json"));
  REQUIRE(fs::exists(dir / "good" / "model.safetensors"));
  const auto bad = run_cli("train --task gaussian --model onelayer --lr 20 --out " + (dir / "bad").string());
  REQUIRE(bad.status == 2);
  REQUIRE_FALSE(fs::exists(dir / "bad"));
  fs::remove_all(dir);
}

TEST_CASE("train: without --out every run gets a new folder, and an --out holding a run is refused", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_train_folders");
  const std::string cmd = "cd " + dir.string() + " && " + MOESIM_BINARY +
                          " train --task gaussian --model onelayer --n 8 --steps 5 --eval-every 5 2>&1";
  for (int i = 0; i < 2; ++i) REQUIRE(std::system(cmd.c_str()) == 0);  // twice within a second or two
  std::vector<fs::path> runs;
  for (const auto& e : fs::directory_iterator(dir / "runs" / "train")) runs.push_back(e.path());
  REQUIRE(runs.size() == 2);
  for (const auto& r : runs) REQUIRE(fs::exists(r / "run.json"));
  const std::string out = (dir / "kept").string();
  REQUIRE(run_cli("train --task gaussian --model onelayer --n 8 --steps 5 --out " + out).status == 0);
  const auto again = run_cli("train --task gaussian --model onelayer --n 8 --steps 7 --out " + out);
  REQUIRE(again.status == 2);
  REQUIRE(again.out.find("already holds a run") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("train: the record holds every option resolved, the code versions and the provenance", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_train_record");
  REQUIRE(run_cli("train --task length2 --model onelayer --m 3 --steps 5 --eval-every 5 --out " + dir.string()).status == 0);
  std::ifstream in(dir / "run.json");
  const auto record = nlohmann::json::parse(in);
  REQUIRE(record["options"] == nlohmann::json{{"task", "length2"}, {"model", "onelayer"}, {"m", 3}, {"steps", 5},
                                              {"eval-every", 5}, {"out", dir.string()}});
  REQUIRE(record["config"]["lr"] == 0.003);       // a default, typed
  REQUIRE(record["config"]["nodes"] == 8);        // the task's own default
  REQUIRE(record["config"]["hidden"] == 32);
  REQUIRE_FALSE(record["config"].contains("out"));
  REQUIRE(record["code"]["backend"].is_number_integer());
  REQUIRE(record["code"]["model"].is_number_integer());
  REQUIRE(record["provenance"]["commit"].get<std::string>().size() >= 7);
  REQUIRE(record["provenance"]["threads"].get<int>() >= 1);
  REQUIRE(record["provenance"]["arch"].is_string());
  fs::remove_all(dir);
}
