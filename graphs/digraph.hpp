#pragma once
// Directed graphs as Boost.Graph compressed-sparse-row graphs, and their Erdős–Rényi generation.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <utility>
#include <vector>

#include "rng.hpp"

namespace moesim::graphs {

// Bidirectional so that BFS can also run on the reverse graph (distances *to* a vertex).
using Graph = boost::compressed_sparse_row_graph<boost::bidirectionalS>;
using Edge = std::pair<int, int>;  // (u, v): an arc u -> v, vertices numbered 0..n-1

Graph make_graph(int n, const std::vector<Edge>& edges);

// Directed G(n, p) without self-loops: each of the n(n-1) ordered pairs is an arc with probability p,
// drawn in (u, v) order, so the returned list is sorted.
std::vector<Edge> erdos_renyi_edges(int n, double p, Rng& rng);

}  // namespace moesim::graphs
