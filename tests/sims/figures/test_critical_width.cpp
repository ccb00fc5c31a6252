// Critical width: a search for the smallest m is required; the CSV adds N, H, |V| and the lower bound.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "preset_text.hpp"
#include "../sweep/csv_check.hpp"
#include "figures/figure.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("critical_width: the theory's columns beside the searched width", "[sims][critical_width]") {
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3}, s.params = {{"bound_c", 2.0}, {"fit_from", 0.0}};
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

TEST_CASE("critical_width: trapped_seeds counts the seeds whose search tried a run that ended at chance",
          "[sims][critical_width]") {
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3, 4, 5}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 64, .smallest = true};
  SectionResult r{&s, {}};
  const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "32"}, {"heads", "1"}};
  // probe(train): a run at some width whose training accuracy ends at `train`, majority baseline 0.5.
  auto probe = [](double train) {
    RunRecord p = record(train, train);
    p.baselines["majority"] = 0.5;
    return p;
  };
  SeedResult trapped = searched(1, std::nullopt), learned = searched(2, 32), no_baseline = searched(3, std::nullopt);
  trapped.probes = {probe(0.88), probe(0.5)};  // fails at 32 (over-fit), then a constant output at 64
  learned.probes = {probe(0.52), probe(0.99)};  // a little above chance is learning, not the trap
  no_baseline.probes = {record(0.5, 0.5)};      // a task without a majority baseline is never counted
  // Fresh data with coin labels: 52.1% of the training inputs are positive, so a constant output scores
  // 0.521 there, above the test set's 0.5; the record's train_majority says so.
  SeedResult fresh = searched(4, std::nullopt);
  RunRecord constant = probe(0.521);
  constant.task["train_majority"] = 0.521;
  fresh.probes = {constant};
  // 48% positive: 0.49 beats a constant output there, though not the test set's 0.5.
  SeedResult above = searched(5, std::nullopt);
  RunRecord learning = probe(0.49);
  learning.task["train_majority"] = 0.48;
  above.probes = {learning};
  r.points.push_back({Point{"", {{"nodes", "32"}}, o}, {trapped, learned, no_baseline, fresh, above}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "trapped_seeds") == "2");
  REQUIRE(at(csv, 1, "none_in_range") == "4");  // the count of seeds the search gave no value is unchanged
}

TEST_CASE("critical_width: a section without a smallest-width search is refused", "[sims][critical_width]") {
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("cw_nosearch", "[w]\nkind = \"critical-width\"\nseeds = [1]\n"
                                                                  "fixed = { task = \"length2\", model = \"onelayer\" }\n"),
                      Catch::Contains("needs search"));
}

TEST_CASE("critical_width: a fit_from that leaves fewer than three sizes to fit is refused", "[sims][critical_width]") {
  const std::string section = "fixed = { task = \"length2\", model = \"onelayer\" }\n"
                              "axes = { nodes = [8, 16, 24, 32] }\n"
                              "search = { key = \"m\", min = 1, max = 8, goal = \"smallest\", target = 0.6 }\n";
  auto with = [&](const std::string& from) {
    return moesim::testing::preset_from("cw_fit_from", "[w]\nkind = \"critical-width\"\nseeds = [1]\nfit_from = " +
                                                           from + "\n" + section);
  };
  REQUIRE_THROWS_WITH(with("17"), Catch::Contains("fit_from = 17 leaves 2 of the 4 sizes"));
  REQUIRE(with("16").sections[0].param("fit_from") == 16);
  REQUIRE(with("0").sections[0].param("fit_from") == 0);
}

namespace critical_width_test {

// A seed of a point whose search found m (or none), with the records of the widths it tried; each probe
// carries what --examine records.
SeedResult seed_at(uint64_t seed, std::optional<long> m, std::vector<long> tried = {}) {
  SeedResult r = searched(seed, m);
  for (long w : tried) {
    RunRecord probe = record(w >= m.value_or(1 << 20) ? 0.99 : 0.7, 0.9);
    probe.config = {{"m", w}};
    probe.task["examined"] = {{"protocol_bits", 3 + int(w)}, {"bits_sent", 100}, {"mantissa_bits_sent", 10 * w},
                              {"disjointness_bits", 6}, {"exhaustive_accuracy", w >= m.value_or(1 << 20) ? 1.0 : 0.8},
                              {"witness", w >= m.value_or(1 << 20) ? nlohmann::json(nullptr) : nlohmann::json{{"a", {1}}}}};
    r.probes.push_back(probe);
  }
  return r;
}

}  // namespace critical_width_test

TEST_CASE("critical_width: the fitted exponent per series, censored points left out, the theory's exponents",
          "[sims][critical_width]") {
  using critical_width_test::seed_at;
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 512, .smallest = true};
  SectionResult r{&s, {}};
  for (int nodes : {8, 16, 32, 64}) {  // critical m = |V| / 2 exactly: exponent 1
    const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", std::to_string(nodes)}, {"heads", "1"}};
    Point p{"", {{"nodes", std::to_string(nodes)}}, o};
    r.points.push_back({p, {seed_at(1, nodes / 2), seed_at(2, nodes / 2), seed_at(3, nodes / 2)}});
  }
  // A fifth size that no majority reaches: censored, not fitted.
  const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "128"}, {"heads", "1"}};
  r.points.push_back({Point{"", {{"nodes", "128"}}, o}, {seed_at(1, std::nullopt), seed_at(2, std::nullopt), seed_at(3, 40)}});
  const auto& kind = figure_named("critical-width");
  const std::string fit = kind.extra_csvs.at(0).second(r);
  INFO(fit);
  REQUIRE(kind.extra_csvs.at(0).first == "fit");
  REQUIRE(at(fit, 1, "series") == "\"all\"");
  REQUIRE(at(fit, 1, "points") == "5");
  REQUIRE(at(fit, 1, "fitted") == "4");
  REQUIRE(at(fit, 1, "censored") == "1");
  REQUIRE(std::stod(at(fit, 1, "exponent")) == Approx(1.0).epsilon(1e-9));
  // The resamples in which seed 3 (40 at |V| = 128) makes the majority bring that point in: a lower slope.
  REQUIRE(std::stod(at(fit, 1, "exponent_ci_low")) < 1.0);
  REQUIRE(std::stod(at(fit, 1, "exponent_ci_high")) == Approx(1.0).epsilon(1e-9));
  REQUIRE(at(fit, 2, "series").find("theory: dense") != std::string::npos);
  REQUIRE(at(fit, 2, "exponent") == "1");
  REQUIRE(std::stod(at(fit, 3, "exponent")) < 1);  // |V| / log2 N grows slower than |V|
  const std::string csv = section_csv(r);
  REQUIRE(at(csv, 5, "value_majority") == "");        // censored
  REQUIRE(at(csv, 5, "value_ci_high") == "inf");
  REQUIRE(at(csv, 1, "value_ci_low") == "4");
}

TEST_CASE("critical_width: fit_from fits the sizes at and above it only, the theory's exponents too",
          "[sims][critical_width]") {
  using critical_width_test::seed_at;
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2, 3}, s.params = {{"bound_c", 1.0}, {"fit_from", 16.0}};
  s.search = Search{.key = "m", .min = 1, .max = 512, .smallest = true};
  SectionResult r{&s, {}};
  // Critical m = 4 at |V| = 8 (a lookup size), then |V|^2 / 64 from 16 on: exponent 2 above the cut, and a
  // fit that took |V| = 8 in would find another line (4 = 8^2 / 16, not 8^2 / 64).
  for (int nodes : {8, 16, 32, 64}) {
    const long m = nodes == 8 ? 4 : long(nodes) * nodes / 64;
    const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", std::to_string(nodes)}, {"heads", "1"}};
    r.points.push_back({Point{"", {{"nodes", std::to_string(nodes)}}, o}, {seed_at(1, m), seed_at(2, m), seed_at(3, m)}});
  }
  const std::string fit = figure_named("critical-width").extra_csvs.at(0).second(r);
  INFO(fit);
  REQUIRE(at(fit, 1, "points") == "4");
  REQUIRE(at(fit, 1, "fitted") == "3");
  REQUIRE(at(fit, 1, "censored") == "0");
  REQUIRE(std::stod(at(fit, 1, "exponent")) == Approx(2.0).epsilon(1e-9));
  REQUIRE(std::stod(at(fit, 1, "exponent_ci_low")) == Approx(2.0).epsilon(1e-9));  // no seed noise
  REQUIRE(std::stod(at(fit, 1, "intercept")) == Approx(-std::log(64.0)).epsilon(1e-9));
  REQUIRE(at(fit, 2, "points") == "4");  // the theory over the same three sizes
  REQUIRE(at(fit, 2, "fitted") == "3");
  // |V| / log2 N at |V| = 16, 32, 64 (N = 29, 61, 125): equally spaced in log |V|, so the least-squares
  // slope is the end points' slope.
  const double slope = std::log((64 / std::log2(125.0)) / (16 / std::log2(29.0))) / std::log(4.0);
  REQUIRE(std::stod(at(fit, 3, "exponent")) == Approx(slope).epsilon(1e-9));
  s.params["fit_from"] = 0;  // every size: |V| = 8 bends the line
  const std::string all = figure_named("critical-width").extra_csvs.at(0).second(r);
  REQUIRE(at(all, 1, "fitted") == "4");
  REQUIRE(std::stod(at(all, 1, "exponent")) < 1.9);
}

TEST_CASE("critical_width: protocol and witness tables from the examined runs of every probe", "[sims][critical_width]") {
  using critical_width_test::seed_at;
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 16, .smallest = true};
  SectionResult r{&s, {}};
  const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "1"}};
  r.points.push_back({Point{"", {{"nodes", "8"}}, o}, {seed_at(1, 4, {2, 4}), seed_at(2, 4, {2, 4})}});
  const auto& kind = figure_named("critical-width");
  const std::string protocol = kind.extra_csvs.at(1).second(r), witness = kind.extra_csvs.at(2).second(r);
  INFO(protocol << witness);
  REQUIRE(at(protocol, 1, "m") == "2");
  REQUIRE(at(protocol, 1, "models") == "2");
  REQUIRE(at(protocol, 1, "protocol_bits_mean") == "5");
  REQUIRE(at(protocol, 1, "mantissa_bits_sent_mean") == "20");
  REQUIRE(at(protocol, 1, "below_critical") == "1");
  REQUIRE(at(protocol, 2, "below_critical") == "0");
  REQUIRE(at(witness, 1, "models_with_witness") == "2");
  REQUIRE(at(witness, 1, "exhaustive_accuracy_mean") == "0.8");
  REQUIRE(at(witness, 2, "models_with_witness") == "0");
}

TEST_CASE("critical_width: the series follow the preset's order in every table, not the alphabet",
          "[sims][critical_width]") {
  using critical_width_test::seed_at;
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 16, .smallest = true};
  SectionResult r{&s, {}};
  // The preset's variants in this order; alphabetically "MoE K=64" < "MoE K=8" < "dense".
  for (const char* label : {"dense", "MoE K=8", "MoE K=64"})
    for (int nodes : {8, 12, 16}) {
      const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", std::to_string(nodes)}, {"heads", "1"}};
      r.points.push_back({Point{label, {{"nodes", std::to_string(nodes)}}, o},
                          {seed_at(1, nodes / 2, {2}), seed_at(2, nodes / 2, {2})}});
    }
  const auto& kind = figure_named("critical-width");
  for (int table = 0; table < 3; ++table) {
    const std::string csv = kind.extra_csvs.at(table).second(r);
    INFO(kind.extra_csvs.at(table).first << '\n' << csv);
    const int per_series = table == 0 ? 1 : 3;  // fit: a row per series; protocol, witness: per |V| too
    REQUIRE(at(csv, 1, "series") == "\"dense\"");
    REQUIRE(at(csv, 1 + per_series, "series") == "\"MoE K=8\"");
    REQUIRE(at(csv, 1 + 2 * per_series, "series") == "\"MoE K=64\"");
  }
}

TEST_CASE("critical_width: the routing table says how many experts the MoE runs used", "[sims][critical_width]") {
  using critical_width_test::seed_at;
  Section s;
  s.name = "w", s.kind = "critical-width", s.seeds = {1, 2}, s.params = {{"bound_c", 1.0}, {"fit_from", 0.0}};
  s.search = Search{.key = "m", .min = 1, .max = 16, .smallest = true};
  SectionResult r{&s, {}};
  const Options o{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "1"}, {"experts", "4"}};
  auto a = seed_at(1, 4, {2, 4}), b = seed_at(2, 4, {2, 4});
  // At m = 2 seed 1 sends everything to one expert (perplexity 1) and seed 2 spreads over all four (4); at
  // m = 4 both use two experts equally (2).
  a.probes[0].result.evals.back().routing = {{{1.0, 0.0, 0.0, 0.0}, 4.0, 0.1}};
  b.probes[0].result.evals.back().routing = {{{0.25, 0.25, 0.25, 0.25}, 1.0, 1.3}};
  a.probes[1].result.evals.back().routing = {{{0.5, 0.5, 0.0, 0.0}, 2.0, 0.6}};
  b.probes[1].result.evals.back().routing = {{{0.0, 0.5, 0.0, 0.5}, 2.0, 0.7}};
  r.points.push_back({Point{"MoE", {{"nodes", "8"}}, o}, {a, b}});
  // A dense series has no routing: no rows.
  const Options d{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "1"}};
  r.points.push_back({Point{"dense", {{"nodes", "8"}}, d}, {seed_at(1, 4, {4}), seed_at(2, 4, {4})}});
  const auto& kind = figure_named("critical-width");
  REQUIRE(kind.extra_csvs.at(3).first == "routing");
  const std::string routing = kind.extra_csvs.at(3).second(r);
  INFO(routing);
  REQUIRE(std::count(routing.begin(), routing.end(), '\n') == 3);  // header, m = 2 and m = 4 of the MoE
  REQUIRE(at(routing, 1, "m") == "2");
  REQUIRE(at(routing, 1, "experts") == "4");
  REQUIRE(at(routing, 1, "models") == "2");
  REQUIRE(at(routing, 1, "passed") == "0");
  REQUIRE(std::stod(at(routing, 1, "effective_experts_mean")) == Approx(2.5));
  REQUIRE(std::stod(at(routing, 1, "effective_experts_min")) == Approx(1.0));
  REQUIRE(std::stod(at(routing, 1, "effective_experts_max")) == Approx(4.0));
  REQUIRE(std::stod(at(routing, 1, "busiest_over_mean_mean")) == Approx(2.5));
  REQUIRE(at(routing, 2, "passed") == "2");
  REQUIRE(std::stod(at(routing, 2, "effective_experts_mean")) == Approx(2.0));
  REQUIRE(std::stod(at(routing, 2, "router_entropy_mean")) == Approx(0.65));
}
