#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

TEST_CASE("sweep: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"sweep /nonexistent.toml", "sweep nosuchpreset", "sweep quick --only nosuchfigure",
                   "sweep quick --jobs 0", "sweep quick --device tpu", "sweep quick --shard ''",
                   "sweep quick --shard 3/2", "sweep quick --shard 1/0", "sweep quick --shard a/b", "sweep quick --shard 1",
                   "sweep quick --shard 0/2 --aggregate"});
}

TEST_CASE("sweep: --aggregate names the units without records and writes nothing", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_test_cli_aggregate");
  write_text(dir / "p.toml", "[g]\nkind = \"shortest-path\"\nseeds = [1, 2]\n"
                             "fixed = { task = \"gaussian\", model = \"onelayer\", n = 32, steps = 20, eval-every = 20 }\n"
                             "axes = { m = [2, 4, 6] }\n");
  const std::string preset = (dir / "p.toml").string(), out = (dir / "out").string();
  REQUIRE(run_cli("sweep " + preset + " --out " + out + " --shard 0/3").status == 0);
  const auto r = run_cli("sweep " + preset + " --out " + out + " --aggregate");
  INFO(r.out);
  REQUIRE(r.status == 1);
  REQUIRE(r.out.find("units have no records yet ([g] m=") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "out" / "g.csv"));
  REQUIRE_FALSE(fs::exists(dir / "out" / "manifest.json"));
  for (const char* shard : {"1/3", "2/3"}) REQUIRE(run_cli("sweep " + preset + " --out " + out + " --shard " + shard).status == 0);
  const auto all = run_cli("sweep " + preset + " --out " + out + " --aggregate");
  REQUIRE(all.status == 0);
  REQUIRE(all.out.find("(0 runs trained, 6 reused") != std::string::npos);
  REQUIRE(fs::exists(dir / "out" / "g.csv"));
}

TEST_CASE("sweep: a precision the device lacks is refused before any run, and nothing is written", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_test_cli_precision");
  write_text(dir / "bf16.toml", "[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = "
                                "\"onelayer\", n = 8, steps = 2, eval-every = 2, precision = \"bf16\" }\n");
  const auto r = run_cli("sweep " + (dir / "bf16.toml").string() + " --device cpu --out " + (dir / "out").string());
  INFO(r.out);
  REQUIRE(r.status == 2);
  REQUIRE(count_lines(r.out) == 1);
  REQUIRE(r.out.find("bf16.toml [a]: --precision bf16: the CPU backend computes in fp32") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("sweep: a preset with a typo is refused before any run, and nothing is written", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_test_cli_preset");
  write_text(dir / "typo.toml",
             "[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", lrr = 0.1 }\n");
  const auto r = run_cli("sweep " + (dir / "typo.toml").string() + " --out " + (dir / "out").string());
  INFO(r.out);
  REQUIRE(r.status == 2);
  REQUIRE(count_lines(r.out) == 1);
  REQUIRE(r.out.find("typo.toml:4: lrr") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "out"));
}
