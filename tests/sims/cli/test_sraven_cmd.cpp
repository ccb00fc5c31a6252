#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("sraven: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"sraven sample --split dev", "sraven sample --features 0", "sraven sample --format csv"});
}

TEST_CASE("sraven: sample prints one JSON object per problem", "[sims][cli]") {
  const auto r = run_cli("sraven sample --features 3 --count 4 --split ood --seed 2");
  REQUIRE(r.status == 0);
  REQUIRE(count_lines(r.out) == 4);
  REQUIRE(r.out.find("\"panels\":") != std::string::npos);
  REQUIRE(r.out.find("\"perms\":") != std::string::npos);
  REQUIRE(r.out.find("\"target\":") != std::string::npos);
}
