// Memorisation: a search for the largest n is required; the CSV adds bits per total and per active parameter.
#include <catch2/catch.hpp>

#include "preset_text.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("memorization: capacity in bits per total and per active parameter", "[sims][memorization]") {
  Section s;
  s.name = "c", s.kind = "memorization", s.seeds = {1, 2, 3};
  s.search = Search{.key = "n", .min = 16, .max = 4096, .smallest = false};
  SectionResult r{&s, {}};
  Point p{"moe", {{"experts", "4"}}, {{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "4"}}};
  r.points.push_back({p, {searched(1, 500), searched(2, 400), searched(3, 4096, true)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "value_majority") == "500");  // the second largest of three
  REQUIRE(std::stod(at(csv, 1, "bits_per_total")) == Approx(0.5));   // 500 / 1000
  REQUIRE(std::stod(at(csv, 1, "bits_per_active")) == Approx(2.0));  // 500 / 250
  r.points[0].seeds = {searched(1, std::nullopt), searched(2, std::nullopt), searched(3, 100)};
  REQUIRE(at(section_csv(r), 1, "bits_per_total") == "");  // no majority: no capacity
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("mem_smallest", "[c]\nkind = \"memorization\"\nseeds = [1]\n"
                                                                   "fixed = { task = \"gaussian\", model = \"onelayer\" }\n"
                                                                   "search = { key = \"n\", min = 1, max = 4 }\n"),
                      Catch::Contains("goal = \"largest\""));
}
