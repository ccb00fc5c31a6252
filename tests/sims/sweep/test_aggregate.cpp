// A section's CSV: the common columns of every kind (the majority value over seeds, the spread, censored
// and failed seeds, parameter counts, task metrics), then the kind's own (tested with each kind, figures/).
#include <catch2/catch.hpp>

#include "csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("aggregate: a search's majority value, spread and found seeds", "[sims][aggregate]") {
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 32, .smallest = true};
  SectionResult r{&s, {}};
  const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"experts", "4"}, {"heads", "1"}};
  Point p{"", {{"nodes", "8"}, {"experts", "4"}}, o};
  r.points.push_back({p, {searched(1, 4), searched(2, 6), searched(3, std::nullopt)}});  // one seed never passed
  r.points.push_back({p, {searched(1, 4), searched(2, std::nullopt), searched(3, std::nullopt)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 0, "figure") == "figure");
  REQUIRE(at(csv, 1, "figure") == "critical-width");
  REQUIRE(at(csv, 1, "value_majority") == "6");  // two of three seeds pass at 6
  REQUIRE(at(csv, 1, "value_min") == "4");
  REQUIRE(at(csv, 1, "value_max") == "6");
  REQUIRE(at(csv, 1, "found") == "2");
  REQUIRE(at(csv, 1, "none_in_range") == "1");  // kept in the count, not dropped
  REQUIRE(at(csv, 2, "none_in_range") == "2");
  REQUIRE(at(csv, 1, "test_at_value") == "0.96");
  REQUIRE(at(csv, 2, "value_majority") == "");  // no majority passes anywhere in range
}

TEST_CASE("aggregate: plain points give mean, min and max of test and train, diverged apart", "[sims][aggregate]") {
  Section s;
  s.name = "g", s.kind = "shortest-path", s.seeds = {1, 2, 3};
  SectionResult r{&s, {}};
  Point p{"dense", {{"d", "16"}}, {{"d", "16"}}};
  r.points.push_back({p, {plain(1, record(0.5, 0.7)), plain(2, record(0.7, 0.9)), plain(3, record(0.0, 0.0, "diverged"))}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "series") == "dense");
  REQUIRE(at(csv, 1, "diverged") == "1");
  REQUIRE(std::stod(at(csv, 1, "test_max")) == Approx(0.7));
  REQUIRE(std::stod(at(csv, 1, "test_min")) == Approx(0.0));  // a diverged run scores zero, never a success
  REQUIRE(at(csv, 1, "total_params") == "1000");
  REQUIRE(at(csv, 1, "active_params") == "250");
}

TEST_CASE("aggregate: censored seeds are counted, a failed seed is no value", "[sims][aggregate]") {
  Section s;
  s.name = "c", s.kind = "memorization", s.seeds = {1, 2, 3};
  s.search = Search{.key = "n", .min = 16, .max = 4096, .smallest = false};
  SectionResult r{&s, {}};
  Point p{"moe", {{"experts", "4"}}, {{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "4"}}};
  auto failed = searched(2, std::nullopt);
  failed.failed = true;
  r.points.push_back({p, {searched(1, 500), failed, searched(3, 4096, true)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "failed") == "1");
  REQUIRE(at(csv, 1, "censored") == "1");
  REQUIRE(at(csv, 1, "none_in_range") == "0");     // the failed seed never searched: failed, not none in range
  REQUIRE(at(csv, 1, "value_majority") == "500");  // two values for three seeds: the smaller is reached by two
}

TEST_CASE("aggregate: task metrics keep double precision, a run that never scored leaves them out",
          "[sims][aggregate]") {
  Section s;
  s.name = "t", s.kind = "shortest-path", s.seeds = {1, 2, 3};
  SectionResult r{&s, {}};
  const double per_feature = 949.0 / 3072.0;  // an accuracy over 3,072 answers, not exact in float
  Point p{"x", {{"d", "8"}}, {{"d", "8"}}};
  r.points.push_back({p, {plain(1, record(0.25, 0.5, "completed", {{"ood", 0.25}, {"ood_feature", per_feature}})),
                          plain(2, record(0.5, 0.5, "completed", {{"ood", 0.5}, {"ood_feature", per_feature}})),
                          plain(3, record(0, 0, "diverged"))}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(std::stod(at(csv, 1, "ood_feature_mean")) == per_feature);  // exactly the records' double, not a float's
  REQUIRE(at(csv, 1, "ood_min") == "0.25");
  REQUIRE(at(csv, 1, "ood_mean") == "0.375");  // the diverged run has no metrics: left out, not a NaN
}
