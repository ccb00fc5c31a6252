#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "usage_error.hpp"
#include "graph_output.hpp"

using namespace moesim;
using graphs::Instance;
using graphs::Task;

TEST_CASE("jsonl: the documented fields", "[sims][graph_output]") {
  Instance sp{.nodes = 3, .edges = {{0, 1}, {1, 2}}, .source = 0, .target = 2, .path = {0, 1, 2}};
  auto j = nlohmann::json::parse(sims::format_instances({sp}, Task::ShortestPath, sims::GraphFormat::Jsonl));
  REQUIRE(j["nodes"] == 3);
  REQUIRE(j["edges"] == nlohmann::json::parse("[[0,1],[1,2]]"));
  REQUIRE(j["path"] == nlohmann::json::parse("[0,1,2]"));
  REQUIRE_FALSE(j.contains("label"));

  const auto dj = graphs::disjointness_instance(5, {1, 2}, {2});
  j = nlohmann::json::parse(sims::format_instances({dj}, Task::Disjointness, sims::GraphFormat::Jsonl));
  REQUIRE(j["label"] == true);
  REQUIRE(j["a"] == nlohmann::json::parse("[1,2]"));
  REQUIRE(j["positions_a"] == nlohmann::json::parse("[0,1,2]"));
  REQUIRE(j["positions_b"] == nlohmann::json::parse("[3,4,5]"));
}

TEST_CASE("tokens: ids, a tab, then the mask or the label", "[sims][graph_output]") {
  const auto dj = graphs::disjointness_instance(4, {1}, {2});
  REQUIRE(sims::format_instances({dj}, Task::Disjointness, sims::GraphFormat::Tokens) == "2 0 0 5 1\t0\n");
  Instance sp{.nodes = 2, .edges = {{0, 1}}, .source = 0, .target = 1, .path = {0, 1}};
  // BOS EDGE 0 1 SEP 0 1 / 0 1 EOS with n = 2: BOS=4, EDGE=3, EOS=5, SEP=6, /=7, vertex v = v+1
  REQUIRE(sims::format_instances({sp}, Task::ShortestPath, sims::GraphFormat::Tokens) ==
          "4 3 1 2 6 1 2 7 1 2 5\t00000000111\n");
}

TEST_CASE("parse_graph_format refuses unknown formats", "[sims][graph_output]") {
  REQUIRE_THROWS_AS(sims::parse_graph_format("csv"), sims::UsageError);
}
