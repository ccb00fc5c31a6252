#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("sraven: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"sraven sample --split dev", "sraven sample --features 0", "sraven sample --format csv",
                   "sraven sample --features 1",                  // each rule its own multiset: no split
                   "sraven sample --features 2 --rule-pool 3",    // 1 of 6 held out cannot cover every rule
                   "sraven sample --split-seed -2"});
}

TEST_CASE("sraven: sample prints one JSON object per problem", "[sims][cli]") {
  const auto r = run_cli("sraven sample --features 3 --count 4 --split ood --seed 2");
  REQUIRE(r.status == 0);
  REQUIRE(count_lines(r.out) == 4);
  REQUIRE(r.out.find("\"panels\":") != std::string::npos);
  REQUIRE(r.out.find("\"perms\":") != std::string::npos);
  REQUIRE(r.out.find("\"target\":") != std::string::npos);
}

TEST_CASE("sraven: the split follows --split-seed, by default --seed", "[sims][cli]") {
  const auto by_seed = run_cli("sraven sample --features 2 --count 40 --split ood --seed 3");
  const auto explicit_seed = run_cli("sraven sample --features 2 --count 40 --split ood --seed 3 --split-seed 3");
  const auto other = run_cli("sraven sample --features 2 --count 40 --split ood --seed 3 --split-seed 4");
  REQUIRE(by_seed.status == 0);
  REQUIRE(by_seed.out == explicit_seed.out);
  REQUIRE(by_seed.out != other.out);  // another held-out set of multisets
}
