// Phone book: a search for the largest book is required; the CSV adds the bits of the numbers recalled,
// n · accuracy · log2(10^8), per total parameter.
#include <catch2/catch.hpp>
#include <cmath>

#include "figures/figure.hpp"
#include "model_factory.hpp"
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

TEST_CASE("phonebook figure: the fit table gives the exponent of bits against total parameters", "[sims][phonebook_figure]") {
  Section s;
  s.name = "b", s.kind = "phonebook", s.seeds = {1, 2};
  s.search = Search{.key = "entries", .min = 16, .max = 1 << 20, .smallest = false};
  SectionResult r{&s, {}};
  // Books proportional to the dense totals (exponent 1), square-root for the MoE (exponent 1/2).
  for (const char* d : {"16", "32", "64"}) {
    Point dense{"dense", {{"d", d}}, {{"task", "phonebook"}, {"model", "dense"}, {"d", d}}};
    Point moe{"MoE", {{"d", d}}, {{"task", "phonebook"}, {"model", "moe"}, {"d", d}, {"experts", "4"}}};
    const double dense_total = double(non_embedding_counts(parse_run_options(dense.options)).non_embedding);
    const double moe_total = double(non_embedding_counts(parse_run_options(moe.options)).non_embedding);
    const long a = std::lround(dense_total / 8), b = std::lround(40 * std::sqrt(moe_total));
    r.points.push_back({dense, {searched(1, a, false, "entries"), searched(2, a, false, "entries")}});
    r.points.push_back({moe, {searched(1, b, false, "entries"), searched(2, b, false, "entries")}});
  }
  const std::string fit = figure_named("phonebook").extra_csvs.at(0).second(r);
  INFO(fit);
  REQUIRE(std::stod(at(fit, 1, "exponent")) == Approx(0.5).margin(0.01));  // "MoE", in name order
  REQUIRE(std::stod(at(fit, 2, "exponent")) == Approx(1.0).margin(0.01));  // "dense"
  REQUIRE(at(fit, 5, "series") == "\"MoE minus dense\"");
  REQUIRE(std::stod(at(fit, 5, "exponent")) == Approx(-0.5).margin(0.02));
  REQUIRE(std::stod(at(fit, 5, "exponent_ci_low")) == Approx(-0.5).margin(0.02));  // identical seeds: a point interval
}
