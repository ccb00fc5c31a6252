#pragma once
// Directed graphs as Boost.Graph compressed-sparse-row graphs, and their Erdős–Rényi generation.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "rng.hpp"

namespace moesim::graphs {

// Out-arcs only: every search here runs forward (shortest_path reads distances to t off the BFS layers
// from s), and building the in-arcs too cost 11% of generating an instance.
// 32-bit vertex and arc indices: half the memory of Boost's default size_t, for graphs far below 2^32 arcs.
using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, uint32_t, uint32_t>;
using Edge = std::pair<int, int>;  // (u, v): an arc u -> v, vertices numbered 0..n-1

// The arcs in any order; sorted ones (as erdos_renyi_edges returns them) take Boost's one-pass constructor.
Graph make_graph(int n, const std::vector<Edge>& edges);

// Directed G(n, p) without self-loops: each of the n(n-1) ordered pairs is an arc with probability p,
// drawn in (u, v) order, so the returned list is sorted.
std::vector<Edge> erdos_renyi_edges(int n, double p, Rng& rng);

}  // namespace moesim::graphs
