#include <catch2/catch.hpp>

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
