#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

TEST_CASE("prove protocol: runs on a trained one-layer checkpoint", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_protocol");
  const auto train = run_cli("train --task length2 --model onelayer --nodes 6 --m 2 --heads 1 --steps 100 --out " +
                             (dir / "run").string());
  REQUIRE(train.status == 0);
  const auto r = run_cli("prove protocol --checkpoint " + (dir / "run" / "model.safetensors").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("(pass)") != std::string::npos);
  REQUIRE(r.out.find("inputs") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("prove protocol: a missing, corrupt or non-one-layer checkpoint exits 2 with one line", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_protocol_bad");
  write_text(dir / "garbage.safetensors", "not a checkpoint at all");
  const auto train = run_cli("train --task phonebook --model dense --d 8 --heads 2 --layers 1 --entries 8 --steps 2 --out " +
                             (dir / "dense").string());
  REQUIRE(train.status == 0);
  require_refused({"prove protocol --checkpoint /nonexistent.safetensors",
                   "prove protocol --checkpoint " + (dir / "garbage.safetensors").string(),
                   "prove protocol --checkpoint " + (dir / "dense" / "model.safetensors").string()});
  fs::remove_all(dir);
}
