#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("prove: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"prove --only nope", "prove --max-nodes 40"});
}

TEST_CASE("prove: runs its checks and writes the CSV", "[sims][cli]") {
  const auto csv = fresh_dir("moesim_cli_prove") / "proofs.csv";
  const auto r = run_cli("prove --only dense-length2 --max-nodes 6 --out " + csv.string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("pass") != std::string::npos);
  REQUIRE(std::filesystem::exists(csv));
}
