#include <catch2/catch.hpp>
#include <functional>

#include "graphs/shortest_path.hpp"

using namespace moesim::graphs;

namespace {

constexpr int kInf = 1 << 20;

// Independent reference: Floyd–Warshall distances on the adjacency matrix.
std::vector<std::vector<int>> floyd_warshall(int n, const std::vector<Edge>& edges) {
  std::vector<std::vector<int>> d(n, std::vector<int>(n, kInf));
  for (int v = 0; v < n; ++v) d[v][v] = 0;
  for (auto [u, v] : edges) d[u][v] = 1;
  for (int k = 0; k < n; ++k)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

// Independent tie-break reference: enumerate every shortest s->t path and keep the smallest sequence.
std::vector<int> smallest_by_enumeration(int n, const std::vector<Edge>& edges,
                                         const std::vector<std::vector<int>>& d, int s, int t) {
  std::vector<std::vector<char>> adj(n, std::vector<char>(n, 0));
  for (auto [u, v] : edges) adj[u][v] = 1;
  std::vector<int> best, cur{s};
  std::function<void(int)> dfs = [&](int u) {
    if (u == t) {
      if (best.empty() || cur < best) best = cur;
      return;
    }
    for (int v = 0; v < n; ++v)
      if (adj[u][v] && d[v][t] == d[u][t] - 1) {
        cur.push_back(v);
        dfs(v);
        cur.pop_back();
      }
  };
  if (d[s][t] < kInf) dfs(s);
  return best;
}

}  // namespace

TEST_CASE("shortest_path: length and tie-break against Floyd–Warshall and enumeration", "[graphs][shortest_path]") {
  Rng rng(11);
  int graphs = 0, ties = 0;
  for (int n : {3, 4, 5, 6, 8, 10}) {
    for (double p : {0.15, 0.3, 0.5, 0.8}) {
      for (int rep = 0; rep < 12; ++rep, ++graphs) {
        const auto edges = erdos_renyi_edges(n, p, rng);
        const Graph g = make_graph(n, edges);
        const auto d = floyd_warshall(n, edges);
        Bfs bfs(n);
        for (int s = 0; s < n; ++s) {
          for (int t = 0; t < n; ++t) {
            if (s == t) continue;
            const auto path = shortest_path(g, s, t, bfs);
            REQUIRE(reachable(g, s, t, bfs) == (d[s][t] < kInf));
            if (d[s][t] == kInf) {
              REQUIRE(path.empty());
              continue;
            }
            REQUIRE(static_cast<int>(path.size()) == d[s][t] + 1);
            const auto expected = smallest_by_enumeration(n, edges, d, s, t);
            REQUIRE(path == expected);
            ties += d[s][t] >= 2;
          }
        }
      }
    }
  }
  REQUIRE(graphs >= 250);
  REQUIRE(ties > 1000);  // the tie-break was exercised
}

TEST_CASE("shortest_path_after reuses the search from s, and arcs in any order give the same paths", "[graphs][shortest_path]") {
  Rng rng(12);
  for (int rep = 0; rep < 40; ++rep) {
    const int n = 20 + rep;
    auto edges = erdos_renyi_edges(n, 0.08, rng);
    const Graph sorted = make_graph(n, edges);
    for (size_t i = edges.size(); i > 1; --i) std::swap(edges[i - 1], edges[rng.below(i)]);
    const Graph shuffled = make_graph(n, edges);
    Bfs a(n), b(n);
    for (int s = 0; s < n; s += 3)
      for (int t = 0; t < n; ++t) {
        a.from(sorted, s);
        const auto after = shortest_path_after(sorted, a, t);
        REQUIRE(after == shortest_path(shuffled, s, t, b));
        REQUIRE(after.empty() == (a.dist()[t] == kUnreachable));
      }
  }
}

TEST_CASE("path_stats: pooled mean over reachable ordered pairs", "[graphs][shortest_path]") {
  // 0 -> 1 -> 2, and 3 isolated: pairs (0,1)=1, (1,2)=1, (0,2)=2.
  const Graph g = make_graph(4, {{0, 1}, {1, 2}});
  Bfs bfs(4);
  const auto s = path_stats(g, bfs);
  REQUIRE(s.pairs == 3);
  REQUIRE(s.length_sum == 4);
  REQUIRE(s.mean() == Approx(4.0 / 3.0));
}
