#include <catch2/catch.hpp>

#include "models/param_table.hpp"

using namespace moesim::models;

TEST_CASE("param_table: tensors lie back to back in the order added", "[models][param_table]") {
  ParamTable t;
  REQUIRE(t.add("embed", {5, 4}) == 0);
  REQUIRE(t.add("norm", {4}, false) == 20);
  REQUIRE(t.add("w", {2, 3, 4}) == 24);
  REQUIRE(t.total() == 48);
  REQUIRE(t["w"].size == 24);
  REQUIRE(t["w"].shape == std::vector<int>{2, 3, 4});
  REQUIRE(t["norm"].decay == false);
  REQUIRE(t["embed"].decay == true);
  REQUIRE(t.views().size() == 3);
  REQUIRE(t.views()[1].name == "norm");
}

TEST_CASE("param_table: an unknown name is an error that names it", "[models][param_table]") {
  ParamTable t;
  t.add("embed", {5, 4});
  REQUIRE_THROWS_WITH(t["head"], Catch::Contains("head"));
}

TEST_CASE("param_table: a name added twice or a negative dimension is refused", "[models][param_table]") {
  ParamTable t;
  t.add("w", {2, 2});
  REQUIRE_THROWS_WITH(t.add("w", {3}), Catch::Contains("'w' added twice"));
  REQUIRE_THROWS_WITH(t.add("v", {2, -1}), Catch::Contains("negative"));
  REQUIRE(t.total() == 4);
}
