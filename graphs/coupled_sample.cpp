#include "coupled_sample.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <cmath>
#include <limits>

#include "rng.hpp"

namespace moesim::graphs {
namespace {

// p as the 32-bit threshold of the stored uniforms: an arc at p iff its U32 < threshold (p = 1: all).
uint64_t threshold32(double p) {
  if (!(p > 0)) return 0;
  return p >= 1 ? uint64_t{1} << 32 : static_cast<uint64_t>(p * 0x1.0p32);
}

// Graph j's out-lists below `cover`. Vertex u's stream (seed of graph j, stream u) alternates: the next
// order statistic of the remaining uniforms, then its vertex (rejection among those not yet drawn). A
// list stops at the first U >= cover, so a larger cover continues the same stream: the same prefix.
void generate_graph(int n, uint64_t graph_seed, double cover, CoupledSample::Graph& g,
                    std::vector<uint32_t>& drawn_at) {
  g.offset.assign(n + 1, 0);
  g.u32.clear();
  g.head.clear();
  const double expected = cover * n * (n - 1.0);
  g.u32.reserve(static_cast<size_t>(expected * 1.05 + 4 * std::sqrt(expected) + 16));  // no regrowth, ~always
  g.head.reserve(g.u32.capacity());
  drawn_at.assign(n, 0);  // drawn_at[v] == u + 1: v is already one of u's out-neighbours
  for (int u = 0; u < n; ++u) {
    Rng rng(graph_seed, static_cast<uint64_t>(u));
    double U = 0;
    for (int remaining = n - 1; remaining > 0; --remaining) {
      // The minimum of `remaining` uniforms on (U, 1): U + (1 - U)(1 - V^(1/remaining)), V in (0, 1].
      const double v = static_cast<double>((rng.next() >> 11) + 1) * 0x1.0p-53;
      U -= (1 - U) * std::expm1(std::log(v) / remaining);
      if (U >= cover) break;
      int w;
      do {
        w = static_cast<int>(rng.below(static_cast<uint64_t>(n - 1)));
        w += w >= u;  // the n - 1 vertices other than u
      } while (drawn_at[w] == static_cast<uint32_t>(u + 1));
      drawn_at[w] = static_cast<uint32_t>(u + 1);
      g.u32.push_back(static_cast<uint32_t>(std::min(U * 0x1.0p32, 4294967295.0)));
      g.head.push_back(static_cast<uint32_t>(w));
    }
    g.offset[u + 1] = static_cast<uint32_t>(g.head.size());
  }
}

struct SourceTotals {
  uint64_t length = 0, pairs = 0;
};

// BFS over the arcs [offset[u], end[u]) from one source, layer by layer: the sum of distances and the
// number of vertices reached. `seen` holds the stamp of the search that last reached each vertex;
// `queue` has n + 1 slots (each arc writes its head at the tail, kept only if new).
SourceTotals bfs_totals(const CoupledSample::Graph& g, const std::vector<uint32_t>& end, int source,
                        std::vector<uint32_t>& seen, uint32_t stamp, std::vector<uint32_t>& queue) {
  SourceTotals t;
  size_t head = 0, tail = 0;
  queue[tail++] = static_cast<uint32_t>(source);
  seen[source] = stamp;
  for (uint64_t depth = 1; head < tail; ++depth) {
    const size_t layer_end = tail;
    for (; head < layer_end; ++head) {
      const uint32_t u = queue[head];
      for (uint32_t a = g.offset[u]; a < end[u]; ++a) {  // branch-free: "seen?" is a coin flip
        const uint32_t v = g.head[a];
        queue[tail] = v;
        tail += seen[v] != stamp;
        seen[v] = stamp;
      }
    }
    t.length += depth * (tail - layer_end);
    t.pairs += tail - layer_end;
  }
  return t;
}

// Pooled ratio and its standard error over independent clusters (delta method for a ratio estimator).
MeanPathEstimate ratio_estimate(const std::vector<SourceTotals>& clusters) {
  double length = 0, pairs = 0;
  for (const auto& c : clusters) length += double(c.length), pairs += double(c.pairs);
  if (pairs == 0) return {};
  MeanPathEstimate e{.mean = length / pairs};
  const double k = double(clusters.size());
  if (k < 2) {
    e.se = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double ss = 0;
  for (const auto& c : clusters) {
    const double r = double(c.length) - e.mean * double(c.pairs);
    ss += r * r;
  }
  e.se = std::sqrt(k / (k - 1) * ss) / pairs;
  return e;
}

uint64_t graph_seed(uint64_t seed, int j) {
  uint64_t x = seed ^ (0xD1B54A32D192ED03ull * (static_cast<uint64_t>(j) + 1));
  return Rng::splitmix64(x);
}

}  // namespace

CoupledSample::CoupledSample(int n, int graphs, int sources, uint64_t seed)
    : n_(n), sources_(std::clamp(sources, 0, n)), seed_(seed), graphs_(std::max(graphs, 0)) {}

void CoupledSample::cover(double p) {
  if (p < covered_ || covered_ >= 1) return;
  covered_ = std::min(1.0, std::max(2 * p, 2 * covered_));  // doubling: regeneration costs O(final arcs)
  const int G = graphs();
  std::exception_ptr error;  // out of memory must not leave an OpenMP region: carried out, rethrown
#pragma omp parallel
  {
    std::vector<uint32_t> drawn_at;
#pragma omp for schedule(dynamic)
    for (int j = 0; j < G; ++j) {
      try {
        generate_graph(n_, graph_seed(seed_, j), covered_, graphs_[j], drawn_at);
      } catch (...) {
#pragma omp critical
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

MeanPathEstimate CoupledSample::mean_path(double p) {
  cover(p);
  const uint64_t t = threshold32(p);
  const int G = graphs(), S = sources_;
  std::vector<SourceTotals> per_source(size_t(G) * S);
  // Scratch per thread, allocated before the region: an allocation failure must not happen inside it.
  std::vector<std::vector<uint32_t>> scratch(size_t(std::max(1, omp_get_max_threads())) * 3);
  for (size_t i = 0; i < scratch.size(); ++i) scratch[i].assign(i % 3 == 2 ? n_ + 1 : n_, 0);
#pragma omp parallel
  {
    auto& end = scratch[size_t(omp_get_thread_num()) * 3];  // + 1 on queue: bfs_totals writes one past the tail
    auto& seen = scratch[size_t(omp_get_thread_num()) * 3 + 1];
    auto& queue = scratch[size_t(omp_get_thread_num()) * 3 + 2];
    uint32_t stamp = 0;
#pragma omp for schedule(dynamic)
    for (int j = 0; j < G; ++j) {
      const Graph& g = graphs_[j];
      for (int u = 0; u < n_; ++u)  // the arcs at p: a prefix of each list
        end[u] = static_cast<uint32_t>(
            std::lower_bound(g.u32.begin() + g.offset[u], g.u32.begin() + g.offset[u + 1], t,
                             [](uint32_t a, uint64_t b) { return a < b; }) - g.u32.begin());
      for (int s = 0; s < S; ++s) {
        if (++stamp == 0) std::fill(seen.begin(), seen.end(), 0), stamp = 1;
        per_source[size_t(j) * S + s] = bfs_totals(g, end, s, seen, stamp, queue);
      }
    }
  }
  // Integer totals per graph, summed in graph order: the same result with any thread count.
  std::vector<SourceTotals> clusters(G > 1 ? G : S);
  for (int j = 0; j < G; ++j)
    for (int s = 0; s < S; ++s) {
      auto& c = clusters[G > 1 ? j : s];
      c.length += per_source[size_t(j) * S + s].length;
      c.pairs += per_source[size_t(j) * S + s].pairs;
    }
  return ratio_estimate(clusters);
}

}  // namespace moesim::graphs
