#include <catch2/catch.hpp>

#include <set>

#include "graphs/coupled_sample.hpp"
#include "graphs/shortest_path.hpp"

using namespace moesim::graphs;

namespace {

uint64_t threshold_of(double p) { return static_cast<uint64_t>(p * 0x1.0p32); }

// Graph j's arcs at p as an edge list, read off the sorted lists (the prefix below p).
std::vector<Edge> arcs_at(const CoupledSample& s, int j, double p) {
  const auto& g = s.graph(j);
  std::vector<Edge> edges;
  for (int u = 0; u < s.n(); ++u)
    for (uint32_t a = g.offset[u]; a < g.offset[u + 1] && g.u32[a] < threshold_of(p); ++a)
      edges.emplace_back(u, int(g.head[a]));
  return edges;
}

}  // namespace

TEST_CASE("coupled_sample: the mean from every source is Boost's BFS over the same arcs", "[graphs][calibrate]") {
  const int n = 30, graphs = 5;
  for (double p : {0.02, 0.08, 0.3}) {
    CoupledSample s(n, graphs, n, 7);
    const double mean = s.mean_path(p).mean;
    PathStats total;
    Bfs bfs;
    for (int j = 0; j < graphs; ++j) total += path_stats(make_graph(n, arcs_at(s, j, p)), bfs);
    INFO("p = " << p);
    REQUIRE(total.pairs > 0);
    REQUIRE(mean == Approx(total.mean()).epsilon(1e-12));
  }
}

TEST_CASE("coupled_sample: arcs are G(n, p): no loops or repeats, U sorted, count ~ p n(n-1)", "[graphs][calibrate]") {
  const int n = 200, graphs = 20;
  const double p = 0.05;
  CoupledSample s(n, graphs, 1, 3);
  s.mean_path(p);
  long arcs = 0;
  for (int j = 0; j < graphs; ++j) {
    const auto& g = s.graph(j);
    for (int u = 0; u < n; ++u) {
      std::set<uint32_t> heads;
      for (uint32_t a = g.offset[u]; a < g.offset[u + 1]; ++a) {
        REQUIRE(g.head[a] != uint32_t(u));
        REQUIRE(heads.insert(g.head[a]).second);
        if (a > g.offset[u]) REQUIRE(g.u32[a - 1] <= g.u32[a]);
      }
    }
    arcs += long(arcs_at(s, j, p).size());
  }
  const double expected = p * n * (n - 1) * graphs, sd = std::sqrt(expected * (1 - p));
  REQUIRE(std::abs(double(arcs) - expected) < 5 * sd);
}

TEST_CASE("coupled_sample: asking for a larger p keeps every arc below a smaller one", "[graphs][calibrate]") {
  CoupledSample small(60, 4, 8, 11), large(60, 4, 8, 11);
  const auto first = small.mean_path(0.03);
  large.mean_path(0.5);  // regenerated to a larger cover: the same streams, longer lists
  for (int j = 0; j < 4; ++j) REQUIRE(arcs_at(small, j, 0.03) == arcs_at(large, j, 0.03));
  const auto again = large.mean_path(0.03);
  REQUIRE(again.mean == first.mean);
  REQUIRE(again.se == first.se);
}

TEST_CASE("coupled_sample: the standard error is positive and shrinks with more graphs or sources", "[graphs][calibrate]") {
  const int n = 100;
  const double p = 0.04;  // mean degree 4, mean path near 3.5
  const double few_graphs = CoupledSample(n, 50, 8, 5).mean_path(p).se;
  const double many_graphs = CoupledSample(n, 400, 8, 5).mean_path(p).se;
  const double few_sources = CoupledSample(n, 100, 2, 5).mean_path(p).se;
  const double many_sources = CoupledSample(n, 100, 32, 5).mean_path(p).se;
  INFO(few_graphs << " " << many_graphs << " " << few_sources << " " << many_sources);
  REQUIRE(many_graphs > 0);
  REQUIRE(many_graphs < 0.6 * few_graphs);  // 8x the graphs: about 1/sqrt(8) = 0.35
  REQUIRE(many_sources > 0);
  REQUIRE(many_sources < few_sources);
  // One graph: the error is across its sources; one graph and one source has none to measure.
  REQUIRE(CoupledSample(n, 1, 16, 5).mean_path(p).se > 0);
  REQUIRE(std::isnan(CoupledSample(n, 1, 1, 5).mean_path(p).se));
}
