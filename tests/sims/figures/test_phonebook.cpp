// Phone book: a search for the largest book is required; the CSV adds the bits of the numbers recalled,
// n · accuracy · log2(10^8), per total parameter.
#include <catch2/catch.hpp>
#include <cmath>

#include "preset_text.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("phonebook figure: bits per total parameter of the largest book", "[sims][phonebook_figure]") {
  Section s;
  s.name = "b", s.kind = "phonebook", s.seeds = {1};
  s.search = Search{.key = "entries", .min = 16, .max = 4096, .smallest = false};
  SectionResult r{&s, {}};
  Point p{"dense", {{"d", "16"}}, {{"task", "phonebook"}, {"model", "dense"}, {"d", "16"}}};
  r.points.push_back({p, {searched(1, 100, false, "entries")}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(std::stod(at(csv, 1, "bits_mean")) == Approx(100 * 0.96 * std::log2(1e8)));  // test metric 0.96
  REQUIRE(std::stod(at(csv, 1, "bits_per_total")) == Approx(100 * 0.96 * std::log2(1e8) / 1000));
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("pb_plain", "[b]\nkind = \"phonebook\"\nseeds = [1]\n"
                                                               "fixed = { task = \"phonebook\", model = \"dense\" }\n"),
                      Catch::Contains("needs search"));
}
