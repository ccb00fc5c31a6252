// Parameter-matched: the grid's MoE points get width m_d / sqrt(K) and the hidden width that keeps the
// dense model's total; the CSV adds the bound and the breaking expert count.
#include <catch2/catch.hpp>

#include "preset_text.hpp"
#include "models/config.hpp"
#include "../sweep/csv_check.hpp"

using namespace moesim::sims;
using namespace moesim::testing::csv;

TEST_CASE("parameter_matched: three arms per K, the matched arm within 5% of the dense total", "[sims][parameter_matched]") {
  const auto p = moesim::testing::preset_from("matched", R"(
[m]
kind = "parameter-matched"
seeds = [1]
dense_width = 16
fixed = { task = "length2", model = "onelayer", nodes = 8, heads = 1 }
axes = { experts = [0, 4, 16] }
)");
  const auto pts = p.sections[0].points();
  REQUIRE(pts.size() == 7);  // the dense reference, then three arms for each K
  auto total = [](const Point& pt) {
    return double(moesim::models::count_params(moesim::models::OneLayerConfig{
        .vocab = 2, .m = std::stoi(pt.options.at("m")), .heads = 1, .hidden = std::stoi(pt.options.at("hidden")),
        .experts = std::stoi(pt.options.at("experts"))}).non_embedding);
  };
  REQUIRE(pts[0].axes.at("arm") == "dense reference");
  REQUIRE(pts[0].options.at("m") == "16");
  const double dense = total(pts[0]);
  for (size_t i = 1; i < pts.size(); i += 3) {
    const int K = i == 1 ? 4 : 16;
    const std::string m = K == 4 ? "8" : "4";  // 16 / sqrt(K)
    INFO("K = " << K);
    REQUIRE(pts[i].axes.at("arm") == "MoE, totals matched");
    REQUIRE(pts[i].options.at("m") == m);
    REQUIRE(std::abs(total(pts[i]) / dense - 1) <= 0.05);
    REQUIRE(pts[i + 1].axes.at("arm") == "MoE, dense expert width");
    REQUIRE(pts[i + 1].options.at("hidden") == "16");
    REQUIRE(pts[i + 1].options.at("experts") == std::to_string(K));
    REQUIRE(pts[i + 2].axes.at("arm") == "dense, narrow");
    REQUIRE(pts[i + 2].options.at("experts") == "0");
    REQUIRE(pts[i + 2].options.at("m") == m);
    REQUIRE(pts[i + 2].options.at("hidden") == "16");
  }
  // K = 64 at m_d = 16 leaves width 2: one hidden unit of 64 experts moves the total by 16%.
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("matched_far", R"(
[m]
kind = "parameter-matched"
seeds = [1]
dense_width = 16
fixed = { task = "length2", model = "onelayer", nodes = 8, heads = 1 }
axes = { experts = [0, 64] }
)"), Catch::Contains("within 5%"));
}

TEST_CASE("parameter_matched: dense_hidden sets the dense model's hidden width, which the arms and the total follow",
          "[sims][parameter_matched]") {
  const auto p = moesim::testing::preset_from("matched_hidden", R"(
[m]
kind = "parameter-matched"
seeds = [1]
dense_width = 16
dense_hidden = 48
fixed = { task = "length2", model = "onelayer", nodes = 8, heads = 1 }
axes = { experts = [0, 4] }
)");
  const auto pts = p.sections[0].points();
  REQUIRE(pts.size() == 4);
  auto total = [](const Point& pt) {
    return double(moesim::models::count_params(moesim::models::OneLayerConfig{
        .vocab = 2, .m = std::stoi(pt.options.at("m")), .heads = 1, .hidden = std::stoi(pt.options.at("hidden")),
        .experts = std::stoi(pt.options.at("experts"))}).non_embedding);
  };
  REQUIRE(pts[0].options.at("m") == "16");
  REQUIRE(pts[0].options.at("hidden") == "48");
  REQUIRE(std::abs(total(pts[1]) / total(pts[0]) - 1) <= 0.05);  // matched to the dense total at h_d = 48
  REQUIRE(std::stoi(pts[1].options.at("hidden")) > 16 / 4);        // a match to h_d = 16's total would be smaller
  REQUIRE(pts[2].options.at("hidden") == "48");
  REQUIRE(pts[3].options.at("hidden") == "48");
  REQUIRE(pts[3].options.at("m") == "8");
}

TEST_CASE("parameter_matched: the bound columns, dense_width required, no search", "[sims][parameter_matched]") {
  Section s;
  s.name = "m", s.kind = "parameter-matched", s.seeds = {1},
  s.params = {{"bound_c", 1.0}, {"dense_width", 8.0}, {"target", 0.95}, {"dense_hidden", 0.0}};
  SectionResult r{&s, {}};
  Point p{"dense reference", {{"arm", "dense reference"}},
          {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"heads", "1"}, {"m", "8"}, {"hidden", "8"}}};
  r.points.push_back({p, {plain(1, record(0.9, 0.95))}});
  const auto csv = section_csv(r);
  INFO(csv);
  REQUIRE(at(csv, 1, "dense_width") == "8");
  REQUIRE(at(csv, 1, "seq_len") == "13");
  REQUIRE(std::stol(at(csv, 1, "breaking_k")) > 4);  // (H log2 N / c)^2 = 13.7 at N = 13
  REQUIRE(at(csv, 1, "total_ratio") == "1");
  REQUIRE(at(csv, 1, "reference_reached") == "0");  // 0.9 < 0.95
  const std::string fixed = "seeds = [1]\nfixed = { task = \"length2\", model = \"onelayer\" }\n";
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("pm_nowidth", "[m]\nkind = \"parameter-matched\"\n" + fixed),
                      Catch::Contains("dense_width"));
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("pm_search", "[m]\nkind = \"parameter-matched\"\ndense_width = 8\n" + fixed +
                                                                    "search = { key = \"m\", min = 1, max = 4 }\n"),
                      Catch::Contains("no search"));
}
