#include "digraph.hpp"

#include <algorithm>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace moesim::graphs {

Graph make_graph(int n, const std::vector<Edge>& edges) {
  const auto vertices = static_cast<Graph::vertices_size_type>(n);
  // Boost's sorted constructor needs the arcs ordered by source only.
  if (std::is_sorted(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.first < b.first; }))
    return Graph(boost::edges_are_sorted, edges.begin(), edges.end(), vertices, edges.size());
  return Graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), vertices);
}

namespace {

// Bit i of `arcs` / `ties`: byte i of the 16 bytes in (lo, hi) is below / equal to c.
void compare_bytes(uint64_t lo, uint64_t hi, unsigned c, unsigned& arcs, unsigned& ties) {
#if defined(__SSE2__)
  const __m128i v = _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));  // unsigned order via signed compare
  const __m128i cv = _mm_set1_epi8(static_cast<char>(c));
  arcs = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpgt_epi8(_mm_xor_si128(cv, flip), _mm_xor_si128(v, flip))));
  ties = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, cv)));
#else
  arcs = ties = 0;
  for (int i = 0; i < 16; ++i) {
    const unsigned byte = ((i < 8 ? lo : hi) >> (8 * (i % 8))) & 0xFF;
    arcs |= static_cast<unsigned>(byte < c) << i;
    ties |= static_cast<unsigned>(byte == c) << i;
  }
#endif
}

}  // namespace

std::vector<Edge> erdos_renyi_edges(int n, double p, Rng& rng) {
  // Each trial compares a uniform 64-bit U with t = threshold(p), a byte at a time: U's top byte below
  // t's decides "arc", above decides "no arc", and only a tie (1 in 256) draws U's other 56 bits. The
  // trials are exact at 64-bit resolution and cost one byte of randomness each: two draws decide sixteen
  // pairs at once, as a bit mask (SSE2 where there is one, the same bits without), and only the arcs (a
  // fraction p) are visited.
  const uint64_t t = Rng::threshold(p);
  const unsigned t_top = static_cast<unsigned>(t >> 56);
  const uint64_t t_rest = t & ((uint64_t{1} << 56) - 1);
  std::vector<Edge> edges;
  edges.reserve(static_cast<size_t>(p * n * (n - 1) * 1.2) + 8);
  Rng local = rng;  // a local copy keeps the state in registers: the stores cannot alias it
  for (int u = 0; u < n; ++u) {
    for (int w0 = 0; w0 < n - 1; w0 += 16) {
      const uint64_t lo = local.next(), hi = local.next();
      unsigned arcs, ties;
      compare_bytes(lo, hi, t_top, arcs, ties);
      const unsigned lanes = (1u << std::min(16, n - 1 - w0)) - 1;  // a row's last chunk may be short
      arcs &= lanes;
      for (ties &= lanes; ties; ties &= ties - 1)  // rare: settle each tie on 56 more bits, in lane order
        if ((local.next() >> 8) < t_rest) arcs |= ties & (0u - ties);
      for (; arcs; arcs &= arcs - 1) {
        const int w = w0 + std::countr_zero(arcs);
        edges.emplace_back(u, w + (w >= u));  // w indexes the n-1 vertices other than u
      }
    }
  }
  rng = local;
  return edges;
}

}  // namespace moesim::graphs
