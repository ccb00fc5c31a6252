#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

TEST_CASE("sweep: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"sweep /nonexistent.toml", "sweep nosuchpreset", "sweep quick --only nosuchfigure",
                   "sweep quick --jobs 0", "sweep quick --device tpu"});
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
