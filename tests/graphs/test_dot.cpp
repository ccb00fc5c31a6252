#include <catch2/catch.hpp>
#include <sstream>

#include "graphs/dot.hpp"

using namespace moesim::graphs;

TEST_CASE("write_dot: a Graphviz digraph with every arc and the query marked", "[graphs][dot]") {
  Instance inst{.nodes = 3, .edges = {{0, 1}, {1, 2}}, .source = 0, .target = 2};
  std::ostringstream os;
  write_dot(os, inst);
  const std::string s = os.str();
  REQUIRE(s.rfind("digraph G {", 0) == 0);
  REQUIRE(s.find("0->1") != std::string::npos);
  REQUIRE(s.find("1->2") != std::string::npos);
  REQUIRE(s.find("0[label=\"0\", shape=doublecircle]") != std::string::npos);
  REQUIRE(s.find("1[label=\"1\"]") != std::string::npos);
}
