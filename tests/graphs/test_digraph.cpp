#include <catch2/catch.hpp>
#include <boost/range/iterator_range.hpp>
#include <set>

#include "graphs/digraph.hpp"

using namespace moesim::graphs;

TEST_CASE("erdos_renyi_edges: sorted, no self-loops, no duplicates, density p", "[graphs][digraph]") {
  Rng rng(1);
  const int n = 40;
  long total = 0;
  for (int rep = 0; rep < 50; ++rep) {
    const auto edges = erdos_renyi_edges(n, 0.2, rng);
    REQUIRE(std::is_sorted(edges.begin(), edges.end()));
    REQUIRE(std::set<Edge>(edges.begin(), edges.end()).size() == edges.size());
    for (auto [u, v] : edges) {
      REQUIRE(u != v);
      REQUIRE((u >= 0 && u < n && v >= 0 && v < n));
    }
    total += static_cast<long>(edges.size());
  }
  const double expected = 50 * 0.2 * n * (n - 1);  // 15600, sd ≈ 110
  REQUIRE(std::abs(total - expected) < 600);
}

TEST_CASE("erdos_renyi_edges: p = 0 and p = 1", "[graphs][digraph]") {
  Rng rng(2);
  REQUIRE(erdos_renyi_edges(10, 0.0, rng).empty());
  REQUIRE(erdos_renyi_edges(10, 1.0, rng).size() == 90);
}

TEST_CASE("make_graph: the Boost graph holds exactly the arcs", "[graphs][digraph]") {
  Rng rng(3);
  const auto edges = erdos_renyi_edges(15, 0.3, rng);
  const Graph g = make_graph(15, edges);
  REQUIRE(num_vertices(g) == 15);
  REQUIRE(num_edges(g) == edges.size());
  std::set<Edge> seen;
  for (auto e : boost::make_iterator_range(boost::edges(g)))
    seen.emplace(static_cast<int>(source(e, g)), static_cast<int>(target(e, g)));
  REQUIRE(seen == std::set<Edge>(edges.begin(), edges.end()));
}
