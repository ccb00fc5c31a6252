// Top-k: the best k per complexity by mean OOD accuracy, and the range of each seed's own best k.
#include <catch2/catch.hpp>

#include "preset_text.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("topk: the best top-k is the best mean OOD share of the ceiling, with its interval and each seed's own best",
          "[sims][topk]") {
  Section s;
  s.name = "t", s.kind = "topk", s.seeds = {1, 2};
  SectionResult r{&s, {}};
  auto sraven = [](double ood) { return record(ood, 0.5, "completed", {{"ood", ood}}); };
  auto point = [](const char* k) {
    return Point{"moe", {{"features", "2"}, {"top-k", k}},
                 {{"task", "sraven"}, {"features", "2"}, {"top-k", k}, {"model", "moe"}}};
  };
  r.points.push_back({point("1"), {plain(1, sraven(0.25)), plain(2, sraven(0.5))}});
  r.points.push_back({point("4"), {plain(1, sraven(0.5)), plain(2, sraven(0.375))}});
  r.points.push_back({Point{"dense", {{"features", "2"}}, {{"task", "sraven"}, {"features", "2"}, {"model", "dense"}}},
                      {plain(1, sraven(0.9)), plain(2, sraven(0.9))}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "best_k") == "4");          // mean OOD 0.4375 against 0.375
  REQUIRE(at(csv, 1, "best_k_seeds") == "4 1");  // seed 1 best at k = 4, seed 2 at k = 1
  REQUIRE(at(csv, 1, "best_k_ci_low") == "1");   // resampled seeds pick either
  REQUIRE(at(csv, 1, "best_k_ci_high") == "4");
  // Normalised by the ceiling when the records carry it: k = 1 wins once its OOD set is harder.
  r.points[0].seeds = {plain(1, record(0.25, 0.5, "completed", {{"ood", 0.25}, {"ood_normalized", 0.9}})),
                       plain(2, record(0.5, 0.5, "completed", {{"ood", 0.5}, {"ood_normalized", 0.9}}))};
  r.points[1].seeds = {plain(1, record(0.5, 0.5, "completed", {{"ood", 0.5}, {"ood_normalized", 0.6}})),
                       plain(2, record(0.375, 0.5, "completed", {{"ood", 0.375}, {"ood_normalized", 0.5}}))};
  REQUIRE(at(section_csv(r), 1, "best_k") == "1");
  REQUIRE(at(csv, 3, "best_k") == "");       // the dense row: no k
}
