#include "shortest_path.hpp"

#include <boost/range/iterator_range.hpp>

namespace moesim::graphs {

std::vector<int> shortest_path(const Graph& g, int s, int t, Bfs& bfs) {
  bfs.from(g, s);
  return shortest_path_after(g, bfs, t);
}

std::vector<int> shortest_path_after(const Graph& g, const Bfs& bfs, int t) {
  const std::vector<int>& dist = bfs.dist();  // (n,) distance from s
  if (dist[t] == kUnreachable) return {};
  auto out = [&g](int v) {
    return boost::make_iterator_range(adjacent_vertices(static_cast<Graph::vertex_descriptor>(v), g));
  };
  // on_path[v]: v lies on a shortest s -> t path, i.e. v is t or an out-neighbour one layer further is on
  // one. In reverse BFS order every such neighbour is settled before v.
  thread_local std::vector<char> on_path;
  on_path.assign(dist.size(), 0);
  on_path[t] = 1;
  const auto order = bfs.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int v = static_cast<int>(*it);
    if (dist[v] >= dist[t]) continue;
    for (auto w : out(v))
      if (dist[w] == dist[v] + 1 && on_path[w]) {
        on_path[v] = 1;
        break;
      }
  }
  std::vector<int> path{bfs.source()};
  for (int cur = bfs.source(); cur != t;) {
    int next = -1;
    for (auto v : out(cur)) {
      const int w = static_cast<int>(v);
      if (on_path[w] && dist[w] == dist[cur] + 1 && (next < 0 || w < next)) next = w;
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
