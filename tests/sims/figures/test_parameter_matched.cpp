// Parameter-matched: the grid's MoE points get width m_d / sqrt(K) and the hidden width that keeps the
// dense model's total; the CSV adds the bound and the breaking expert count.
#include <catch2/catch.hpp>

#include "preset_text.hpp"
#include "models/config.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("parameter_matched: points keep the totals of the dense model", "[sims][parameter_matched]") {
  const auto p = moesim::testing::preset_from("matched", R"(
[m]
kind = "parameter-matched"
seeds = [1]
dense_width = 16
fixed = { task = "length2", model = "onelayer", nodes = 8, heads = 2 }
axes = { experts = [0, 4, 16] }
)");
  const auto pts = p.sections[0].points();
  REQUIRE(pts[0].options.at("m") == "16");
  REQUIRE(pts[1].options.at("m") == "8");  // 16 / sqrt(4)
  REQUIRE(pts[2].options.at("m") == "4");  // 16 / sqrt(16)
  auto total = [](const Point& pt) {
    return moesim::models::count_params(moesim::models::OneLayerConfig{
        .vocab = 2, .m = std::stoi(pt.options.at("m")), .heads = 2, .hidden = std::stoi(pt.options.at("hidden")),
        .experts = std::stoi(pt.options.at("experts"))}).non_embedding;
  };
  for (const auto& pt : pts) REQUIRE(std::abs(double(total(pt)) / double(total(pts[0])) - 1) < 0.05);
}

TEST_CASE("parameter_matched: the bound columns, dense_width required, no search", "[sims][parameter_matched]") {
  Section s;
  s.name = "m", s.kind = "parameter-matched", s.seeds = {1}, s.params = {{"bound_c", 1.0}, {"dense_width", 8.0}};
  SectionResult r{&s, {}};
  Point p{"", {{"experts", "4"}}, {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "1"}, {"experts", "4"}}};
  r.points.push_back({p, {plain(1, record(0.9, 0.95))}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "dense_width") == "8");
  REQUIRE(at(csv, 1, "seq_len") == "13");
  REQUIRE(std::stol(at(csv, 1, "breaking_k")) > 4);  // (H log2 N / c)^2 = 13.7 at N = 13
  const std::string fixed = "seeds = [1]\nfixed = { task = \"length2\", model = \"onelayer\" }\n";
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("pm_nowidth", "[m]\nkind = \"parameter-matched\"\n" + fixed),
                      Catch::Contains("dense_width"));
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("pm_search", "[m]\nkind = \"parameter-matched\"\ndense_width = 8\n" + fixed +
                                                                    "search = { key = \"m\", min = 1, max = 4 }\n"),
                      Catch::Contains("no search"));
}
