#pragma once
// Token encodings of graph instances.
//
// Sequence format (shortest path, connectivity; docs/claims.md: claim 2, [MoP] §4), vocabulary of n + 6 tokens:
//   PAD = 0, vertex v (0-based) = 1 + v, EDGE = n+1, BOS = n+2, EOS = n+3, SEP = n+4, SLASH ("/") = n+5
//   BOS  EDGE u v  ...  EDGE u v  SEP  s t  /  v0 v1 ... vk  EOS
// The arcs appear in (u, v) order. For shortest path, `predict` marks the path tokens v0..vk and the EOS
// that ends them: the tokens a model is trained (and asked) to generate; everything before is the prompt.
// Connectivity stops after "/" and carries its answer in `label`.
//
// Length-2 format (the one-layer model, docs/claims.md: the model, claim 1), vocabulary of 2n - 2 tokens:
//   EMPTY = 0, QUERY = 1, arc (s, v) = 1 + v, arc (v, d) = n - 1 + v   for inner vertices v = 1..n-2
// N = 2(n-2) + 1 positions: slot v-1 holds arc (s, v) or EMPTY, slot n-3+v holds arc (v, d) or EMPTY,
// and the last position holds QUERY (the token that queries). The token, not the position, names the arc:
// the one-layer model has no positional encoding. Arcs not incident to s or d cannot change the answer
// and are not encoded; Alice's positions A are the first n-2 slots, Bob's B the next n-2 (Thm 3.2).
#include <vector>

#include "instances.hpp"

namespace moesim::graphs {

struct SequenceVocab {
  int n;
  static constexpr int pad = 0;
  int vertex(int v) const { return 1 + v; }
  int edge() const { return n + 1; }
  int bos() const { return n + 2; }
  int eos() const { return n + 3; }
  int sep() const { return n + 4; }
  int slash() const { return n + 5; }
  int size() const { return n + 6; }
};

struct Encoded {
  std::vector<int> tokens;
  std::vector<char> predict;  // 1 where the token is a target the model must generate
};

Encoded encode_sequence(const Instance& inst);

struct Length2Vocab {
  int n;
  static constexpr int empty = 0;
  static constexpr int query = 1;
  int from_source(int v) const { return 1 + v; }
  int to_dest(int v) const { return n - 1 + v; }
  int size() const { return 2 * n - 2; }
  int length() const { return 2 * (n - 2) + 1; }  // N
};

// The length-2 format; positions A = [0, n-2), B = [n-2, 2n-4), QUERY at 2n-4.
std::vector<int> encode_length2(const Instance& inst);

}  // namespace moesim::graphs
