// Critical width: a search for the smallest m is required; the CSV adds N, H, |V| and the lower bound.
#include <catch2/catch.hpp>
#include <cmath>

#include "preset_text.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("critical_width: the theory's columns beside the searched width", "[sims][critical_width]") {
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3}, s.params = {{"bound_c", 2.0}};
  s.search = Search{.key = "m", .min = 1, .max = 32, .smallest = true};
  SectionResult r{&s, {}};
  Point p{"", {{"nodes", "8"}}, {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "3"}}};
  r.points.push_back({p, {searched(1, 4), searched(2, 6), searched(3, 6)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "seq_len") == "13");  // 2(|V|-2)+1
  REQUIRE(at(csv, 1, "heads") == "3");
  REQUIRE(at(csv, 1, "dense_width") == "8");
  REQUIRE(std::stod(at(csv, 1, "lower_bound")) == Approx(2 * 8 / std::log2(13.0)));
}

TEST_CASE("critical_width: a section without a smallest-width search is refused", "[sims][critical_width]") {
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("cw_nosearch", "[w]\nkind = \"critical-width\"\nseeds = [1]\n"
                                                                  "fixed = { task = \"length2\", model = \"onelayer\" }\n"),
                      Catch::Contains("needs search"));
}
