#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

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

TEST_CASE("prove: --only replaces its own rows and keeps the others", "[sims][cli]") {
  const auto csv = fresh_dir("moesim_cli_prove_only") / "proofs.csv";
  REQUIRE(run_cli("prove --max-nodes 5 --out " + csv.string()).status == 0);
  auto lines = [&] {
    std::ifstream in(csv);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  };
  const auto whole = lines();
  REQUIRE(whole.size() > 6);
  REQUIRE(whole[0] == "name,statement,check,instances,result,detail");
  REQUIRE(run_cli("prove --only bounds --out " + csv.string()).status == 0);
  REQUIRE(lines() == whole);  // the same rows: bounds rewritten identically, the others kept
  REQUIRE(run_cli("prove --only dense-length2 --max-nodes 4 --out " + csv.string()).status == 0);
  const auto after = lines();
  REQUIRE(after.size() == whole.size());
  int protocol = 0;
  for (const auto& l : after) protocol += l.rfind("protocol,", 0) == 0;
  REQUIRE(protocol == 2);  // untouched
  REQUIRE(std::find(after.begin(), after.end(), whole[1]) != after.end());  // the bounds row kept
  // A CSV of other columns is not silently merged into.
  write_text(csv, "statement,check,instances,result,detail\n");
  require_refused({"prove --only bounds --out " + csv.string()});
}
