// Every theorem check runs, protocol and memorisation included, at sizes a test affords; every row passes
// (or is a value for reference), and `moesim prove --only` names are the checks' names.
#include <catch2/catch.hpp>

#include "proofs/checks.hpp"

using namespace moesim::proofs;

TEST_CASE("checks: every check runs and passes at small sizes", "[proofs][checks]") {
  const CheckOptions small{.max_nodes = 7, .random_nodes = {16, 33}, .memorization_sizes = {256, 1024}};
  std::vector<std::string> names;
  for (const auto& check : checks()) {
    names.push_back(check.name);
    INFO(check.name);
    const auto rows = check.run(small);
    REQUIRE_FALSE(rows.empty());
    for (const auto& row : rows) {
      INFO(row.check << ": " << row.detail);
      REQUIRE(row.ok);
      REQUIRE(row.result() == (row.instances == 0 ? "info" : "pass"));
    }
  }
  REQUIRE(names == std::vector<std::string>{"bounds", "dense-length2", "protocol", "memorization"});
}

TEST_CASE("checks: the rows say what they checked", "[proofs][checks]") {
  const CheckOptions small{.max_nodes = 6, .random_nodes = {16}, .memorization_sizes = {256}};
  const auto dense = check_dense_length2(small);
  REQUIRE(dense.size() == 3);
  REQUIRE(dense[0].instances == 4 + 16 + 64 + 256);  // 4^(n-2) inputs for n = 3..6
  REQUIRE(dense[0].check.find("|V| = 3..6") != std::string::npos);
  const auto protocol = check_protocol(small);
  REQUIRE(protocol.size() == 2);
  REQUIRE(protocol[0].instances == 600);  // 200 inputs for each of three models
  REQUIRE(protocol[1].detail.find("n = 4") != std::string::npos);
  const auto memorization = check_memorization(small);
  REQUIRE(memorization.size() == 2);  // K = 1 and K = sqrt(n/m) = 4
  REQUIRE(memorization[1].check.find("K=4") != std::string::npos);
  const auto bounds = check_bounds(small);
  REQUIRE(bounds.size() == 2);
  for (const auto& row : bounds) REQUIRE(row.result() == "info");
  REQUIRE(bounds[1].detail.find(">= 16384 parameters") != std::string::npos);  // Thm 3.6: n / c at c = 1
}
