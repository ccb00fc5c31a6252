// A section's CSV: the majority value over seeds, the spread, censored and failed seeds, the theory.
#include <catch2/catch.hpp>

#include <sstream>

#include "sweep/aggregate.hpp"

using namespace moesim::sims;

namespace {

nlohmann::json record(double test, double train, const char* status = "completed") {
  return {{"result", {{"status", status}, {"test_metric", test}, {"train_metric", train}}},
          {"params", {{"non_embedding", 1000}, {"active_non_embedding", 250}}}};
}

SeedResult searched(uint64_t seed, std::optional<long> value, bool censored = false) {
  SeedResult r{.seed = seed};
  r.search = SearchOutcome{.value = value, .censored = censored};
  if (value) r.record = record(0.96, 0.99);
  return r;
}

std::vector<std::string> cells(const std::string& csv, int line) {
  std::istringstream in(csv);
  std::string row;
  for (int i = 0; i <= line; ++i) std::getline(in, row);
  std::vector<std::string> out;
  std::stringstream fields(row);
  for (std::string f; std::getline(fields, f, ',');) out.push_back(f);
  if (!row.empty() && row.back() == ',') out.push_back("");
  return out;
}

std::string at(const std::string& csv, int line, const std::string& column) {
  const auto head = cells(csv, 0), row = cells(csv, line);
  for (size_t i = 0; i < head.size(); ++i)
    if (head[i] == column) return i < row.size() ? row[i] : "";
  FAIL("no column " << column);
  return "";
}

}  // namespace

TEST_CASE("aggregate: a search's majority value, spread and theory columns", "[sims][aggregate]") {
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3};
  s.search = Search{.key = "m", .min = 1, .max = 32, .smallest = true};
  SectionResult r{&s, {}};
  Point p{"", {{"nodes", "8"}, {"experts", "4"}}, {{"nodes", "8"}, {"experts", "4"}, {"heads", "1"}}};
  r.points.push_back({p, {searched(1, 4), searched(2, 6), searched(3, std::nullopt)}});  // one seed never passed
  r.points.push_back({p, {searched(1, 4), searched(2, std::nullopt), searched(3, std::nullopt)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "value_majority") == "6");  // two of three seeds pass at 6
  REQUIRE(at(csv, 1, "value_min") == "4");
  REQUIRE(at(csv, 1, "value_max") == "6");
  REQUIRE(at(csv, 1, "found") == "2");
  REQUIRE(at(csv, 2, "value_majority") == "");  // no majority passes anywhere in range
  REQUIRE(at(csv, 1, "seq_len") == "13");       // 2(|V|-2)+1
  REQUIRE(at(csv, 1, "dense_width") == "8");
  REQUIRE(at(csv, 1, "heads") == "1");
  REQUIRE(std::stod(at(csv, 1, "lower_bound")) == Approx(8 / std::log2(13.0)));
}

TEST_CASE("aggregate: plain points give mean, min and max of test and train, diverged apart", "[sims][aggregate]") {
  Section s;
  s.name = "g", s.kind = "shortest-path", s.seeds = {1, 2, 3};
  SectionResult r{&s, {}};
  Point p{"dense", {{"d", "16"}}, {{"d", "16"}}};
  r.points.push_back({p, {{.seed = 1, .record = record(0.5, 0.7)}, {.seed = 2, .record = record(0.7, 0.9)},
                          {.seed = 3, .record = record(0.0, 0.0, "diverged")}}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "series") == "dense");
  REQUIRE(at(csv, 1, "diverged") == "1");
  REQUIRE(std::stod(at(csv, 1, "test_max")) == Approx(0.7));
  REQUIRE(std::stod(at(csv, 1, "test_min")) == Approx(0.0));  // a diverged run scores zero, never a success
  REQUIRE(at(csv, 1, "total_params") == "1000");
  REQUIRE(at(csv, 1, "active_params") == "250");
}

TEST_CASE("aggregate: memorisation capacity in bits per parameter, censored seeds counted", "[sims][aggregate]") {
  Section s;
  s.name = "c", s.kind = "memorization", s.seeds = {1, 2, 3};
  s.search = Search{.key = "n", .min = 16, .max = 4096, .smallest = false};
  SectionResult r{&s, {}};
  Point p{"moe", {{"experts", "4"}}, {{"experts", "4"}}};
  r.points.push_back({p, {searched(1, 500), searched(2, 400), searched(3, 4096, true)}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "value_majority") == "500");  // the second largest of three
  REQUIRE(at(csv, 1, "censored") == "1");
  REQUIRE(std::stod(at(csv, 1, "bits_per_total")) == Approx(0.5));
  REQUIRE(std::stod(at(csv, 1, "bits_per_active")) == Approx(2.0));
}

TEST_CASE("aggregate: SRAVEN metrics keep double precision and the best top-k is the best mean OOD",
          "[sims][aggregate]") {
  Section s;
  s.name = "t", s.kind = "topk", s.seeds = {1, 2};
  SectionResult r{&s, {}};
  auto sraven = [](double ood, double ood_feature) {
    auto j = record(ood, 0.5);
    j["result"]["metrics"] = {{"ood", ood}, {"ood_feature", ood_feature}};
    return j;
  };
  const double per_feature = 949.0 / 3072.0;  // an accuracy over 3,072 answers, not exact in float
  auto point = [](const char* k) {
    return Point{"moe", {{"features", "2"}, {"top-k", k}}, {{"features", "2"}, {"top-k", k}, {"model", "moe"}}};
  };
  r.points.push_back(
      {point("1"), {{.seed = 1, .record = sraven(0.25, per_feature)}, {.seed = 2, .record = sraven(0.5, per_feature)}}});
  r.points.push_back(
      {point("4"), {{.seed = 1, .record = sraven(0.5, 0.5)}, {.seed = 2, .record = sraven(0.375, 0.5)}}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(std::stod(at(csv, 1, "ood_feature_mean")) == per_feature);  // exactly the records' double, not a float's
  REQUIRE(at(csv, 1, "ood_min") == "0.25");
  REQUIRE(at(csv, 2, "ood_mean") == "0.4375");
  REQUIRE(at(csv, 1, "best_k") == "4");      // mean OOD 0.4375 against 0.375
  REQUIRE(at(csv, 1, "best_k_min") == "1");  // seed 2's own best
  REQUIRE(at(csv, 1, "best_k_max") == "4");
}
