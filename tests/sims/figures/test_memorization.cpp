// Memorisation: a search for the largest n is required; the CSV adds bits per total and per active parameter.
#include <catch2/catch.hpp>

#include "preset_text.hpp"
#include "model_factory.hpp"
#include "sweep/capacity_bits.hpp"
#include <algorithm>
#include <cmath>
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("memorization: capacity in bits per total and per active parameter", "[sims][memorization]") {
  Section s;
  s.name = "c", s.kind = "memorization", s.seeds = {1, 2, 3};
  s.search = Search{.key = "n", .min = 16, .max = 4096, .smallest = false};
  SectionResult r{&s, {}};
  Point p{"moe", {{"experts", "4"}, {"epochs_factor", "1"}}, {{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "4"}}};
  r.points.push_back({p, {searched(1, 500, false, "n"), searched(2, 400, false, "n"), searched(3, 4096, true, "n")}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "value_majority") == "500");  // the second largest of three
  // Each seed's labels at its test accuracy 0.96: n (1 - H2(0.04)) bits, 0.758 per label.
  const double per_label = 1 - binary_entropy(0.04);
  REQUIRE(std::stod(at(csv, 1, "bits_mean")) == Approx((500 + 400 + 4096) * per_label / 3));
  REQUIRE(std::stod(at(csv, 1, "bits_per_total")) == Approx((500 + 400 + 4096) * per_label / 3 / 1000));
  REQUIRE(std::stod(at(csv, 1, "bits_per_active")) == Approx((500 + 400 + 4096) * per_label / 3 / 250));
  const auto header = cells(csv, 0);
  REQUIRE(std::count(header.begin(), header.end(), "epochs_factor") == 1);  // the axis, not a second column
  REQUIRE(at(csv, 1, "epochs_factor") == "1");
  r.points[0].seeds = {searched(1, std::nullopt), searched(2, std::nullopt), searched(3, 100, false, "n")};
  // A seed with no passing size holds no measured bits (0), not a gap the mean skips.
  REQUIRE(std::stod(at(section_csv(r), 1, "bits_mean")) == Approx(100 * per_label / 3));
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("mem_smallest", "[c]\nkind = \"memorization\"\nseeds = [1]\n"
                                                                   "fixed = { task = \"gaussian\", model = \"onelayer\" }\n"
                                                                   "search = { key = \"n\", min = 1, max = 4 }\n"),
                      Catch::Contains("goal = \"largest\""));
}

TEST_CASE("memorization: match_dense adds dense models matched to each MoE's total and active counts within 5%",
          "[sims][memorization]") {
  const auto preset = moesim::testing::preset_from(
      "mem_matched", "[c]\nkind = \"memorization\"\nseeds = [1]\nmatch_dense = 1\n"
                     "fixed = { task = \"gaussian\", model = \"onelayer\", m = 8, epochs = 4 }\n"
                     "axes.variants = [{ label = \"MoE\", experts = 4, hidden = 8 }, { label = \"MoE\", experts = 16, hidden = 8 }]\n"
                     "search = { key = \"n\", min = 4, max = 64, goal = \"largest\" }\n");
  const auto points = preset.sections.at(0).points();
  auto counts = [](const Point& p) { return non_embedding_counts(parse_run_options(p.options)); };
  int totals = 0, actives = 0, twins = 0;
  for (const auto& p : points) {
    if (p.label == "dense, total matched" || p.label == "dense, active matched") {
      // Its MoE: the point of the same series listed before it; find by the count it matches.
      bool matched = false;
      for (const auto& moe : points) {
        if (moe.label != "MoE") continue;
        const double goal = p.label == "dense, total matched" ? counts(moe).non_embedding : counts(moe).active_non_embedding;
        matched |= std::abs(counts(p).non_embedding - goal) <= 0.05 * goal;
      }
      REQUIRE(matched);
      REQUIRE(counts(p).non_embedding == counts(p).active_non_embedding);  // dense: all active
      (p.label == "dense, total matched" ? totals : actives)++;
    }
    twins += p.axes.at("epochs_factor") == "2";
  }
  REQUIRE(totals == 2);   // one per K
  REQUIRE(actives == 2);  // one per K (the router's active rows grow with K)
  REQUIRE(twins == 3);    // the budget control: one per series
}
