#pragma once
// Shortest paths, connectivity and path-length statistics.
//
// Tie-break: among all shortest s -> t paths, the lexicographically smallest vertex sequence wins. It is
// built greedily from one BFS from s: walking its layers backwards from t marks the vertices that lie on
// some shortest s -> t path; from s, step each time to the smallest-numbered marked out-neighbour one
// layer further. (The same path as stepping to the smallest out-neighbour one step closer to t, without
// a search on the reverse graph.)
#include <vector>

#include "bfs.hpp"

namespace moesim::graphs {

// The vertices s, ..., t of the lexicographically smallest shortest path; empty if t is unreachable.
std::vector<int> shortest_path(const Graph& g, int s, int t, Bfs& bfs);
// The same, from the source of the search `bfs` last ran on g (reusing its layers: no second search).
std::vector<int> shortest_path_after(const Graph& g, const Bfs& bfs, int t);

bool reachable(const Graph& g, int s, int t, Bfs& bfs);

// Sum of shortest-path lengths and number of ordered pairs (u, v), u != v, with v reachable from u.
struct PathStats {
  double length_sum = 0;
  long pairs = 0;
  double mean() const { return pairs ? length_sum / static_cast<double>(pairs) : 0.0; }
  PathStats& operator+=(const PathStats& o) {
    length_sum += o.length_sum;
    pairs += o.pairs;
    return *this;
  }
};
PathStats path_stats(const Graph& g, Bfs& bfs);

}  // namespace moesim::graphs
