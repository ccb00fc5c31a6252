#include <catch2/catch.hpp>

#include "graphs/bfs.hpp"

using namespace moesim::graphs;

// 0 -> 1 -> 2 -> 3, 0 -> 2, 4 -> 0; vertex 5 isolated.
TEST_CASE("bfs: distances from a vertex follow the arcs' direction, in the order reached", "[graphs][bfs]") {
  const Graph g = make_graph(6, {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {4, 0}});
  Bfs bfs;
  REQUIRE(bfs.from(g, 0) == std::vector<int>{0, 1, 1, 2, kUnreachable, kUnreachable});
  REQUIRE(bfs.source() == 0);
  REQUIRE(std::vector<int>(bfs.order().begin(), bfs.order().end()) == std::vector<int>{0, 1, 2, 3});
  REQUIRE(bfs.from(g, 4) == std::vector<int>{1, 2, 2, 3, 0, kUnreachable});
  REQUIRE(bfs.from(g, 5) == std::vector<int>{kUnreachable, kUnreachable, kUnreachable, kUnreachable, kUnreachable, 0});
}

TEST_CASE("bfs: one object reused across graphs of other sizes gives fresh answers", "[graphs][bfs]") {
  Bfs bfs(3);
  const Graph big = make_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  REQUIRE(bfs.from(big, 0) == std::vector<int>{0, 1, 2, 3, 4});
  const Graph small = make_graph(2, {{1, 0}});
  REQUIRE(bfs.from(small, 0) == std::vector<int>{0, kUnreachable});
  REQUIRE(bfs.from(small, 1) == std::vector<int>{1, 0});
  REQUIRE(bfs.from(big, 2) == std::vector<int>{kUnreachable, kUnreachable, 0, 1, 2});
}
