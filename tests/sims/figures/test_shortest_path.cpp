// Shortest path: plain points only, no columns of its own.
#include <catch2/catch.hpp>

#include "figures/figure.hpp"
#include "preset_text.hpp"

using namespace moesim::sims;

TEST_CASE("shortest_path figure: no columns of its own, and no search", "[sims][shortest_path_figure]") {
  REQUIRE(figure_named("shortest-path").columns.empty());
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("sp_search", "[g]\nkind = \"shortest-path\"\nseeds = [1]\n"
                                                                "fixed = { task = \"shortest-path\", model = \"dense\" }\n"
                                                                "search = { key = \"d\", min = 8, max = 16 }\n"),
                      Catch::Contains("no search"));
}
