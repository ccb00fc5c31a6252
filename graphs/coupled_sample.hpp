#pragma once
// A fixed sample of directed G(n, p) graphs for every p at once, and its mean shortest-path length.
//
// Coupling: each ordered pair (u, v) has one uniform U_uv, and is an arc at p iff U_uv < p, so one sample
// serves every p of a search (common random numbers: the mean is a step function of p, not a noisy one).
// Each vertex keeps its out-neighbours sorted by U: the arcs at p are a prefix, and a BFS at any p costs
// O(n + arcs at p), not O(n^2). The sorted lists are drawn directly, not by sorting n - 1 uniforms: the
// order statistics of n - 1 uniforms come one after another (each the next of the remaining ones, by
// inversion), and each one's vertex is a uniformly random one not yet drawn. Memory and time are
// O(arcs below the largest p asked), which is what makes n = 5000 cheap; a vertex's list is a prefix of
// its own random stream, so asking for a larger p regenerates the longer lists with the same prefixes.
//
// Sources: BFS from `sources` vertices per graph (vertices 0..sources-1; in G(n, p) vertex labels carry
// no information, so these are as good as a random choice). The estimate pools total length / total
// reachable pairs; its standard error treats graphs as independent clusters (ratio estimator).
#include <cstdint>
#include <vector>

namespace moesim::graphs {

struct MeanPathEstimate {
  double mean = 0;  // pooled over the sample: total shortest-path length / reachable ordered pairs
  double se = 0;    // standard error of `mean` across graphs (across sources when there is one graph)
};

class CoupledSample {
 public:
  CoupledSample(int n, int graphs, int sources, uint64_t seed);
  MeanPathEstimate mean_path(double p);

  int n() const { return n_; }
  int graphs() const { return int(graphs_.size()); }
  int sources() const { return sources_; }

  // One graph's out-lists below `cover`: vertex u's arcs are [offset[u], offset[u + 1]), U increasing.
  struct Graph {
    std::vector<uint32_t> offset, u32, head;  // (n + 1,), (arcs,), (arcs,): U as 32-bit fractions
  };
  const Graph& graph(int j) const { return graphs_[j]; }

 private:
  void cover(double p);  // regenerate so that every arc with U < p is stored

  int n_, sources_;
  uint64_t seed_;
  double covered_ = 0;  // the stored arcs are those with U < covered_
  std::vector<Graph> graphs_;
};

}  // namespace moesim::graphs
