#include "shortest_path.hpp"

#include <boost/range/iterator_range.hpp>

namespace moesim::graphs {

std::vector<int> shortest_path(const Graph& g, int s, int t, Bfs& bfs) {
  const std::vector<int>& to_t = bfs.to(g, t);  // (n,) distance of every vertex to t
  if (to_t[s] == kUnreachable) return {};
  std::vector<int> path{s};
  for (int cur = s; cur != t;) {
    int next = -1;
    for (auto v : boost::make_iterator_range(adjacent_vertices(static_cast<Graph::vertex_descriptor>(cur), g))) {
      const int w = static_cast<int>(v);
      if (to_t[w] == to_t[cur] - 1 && (next < 0 || w < next)) next = w;
    }
    path.push_back(next);
    cur = next;
  }
  return path;
}

bool reachable(const Graph& g, int s, int t, Bfs& bfs) { return bfs.from(g, s)[t] != kUnreachable; }

PathStats path_stats(const Graph& g, Bfs& bfs) {
  PathStats stats;
  const int n = static_cast<int>(num_vertices(g));
  for (int u = 0; u < n; ++u) {
    const std::vector<int>& d = bfs.from(g, u);
    for (int v = 0; v < n; ++v)
      if (v != u && d[v] != kUnreachable) {
        stats.length_sum += d[v];
        ++stats.pairs;
      }
  }
  return stats;
}

}  // namespace moesim::graphs
