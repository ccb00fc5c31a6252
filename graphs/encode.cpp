#include "encode.hpp"

namespace moesim::graphs {

Encoded encode_sequence(const Instance& inst) {
  const SequenceVocab voc{inst.nodes};
  Encoded e;
  auto put = [&](int token, bool predict) {
    e.tokens.push_back(token);
    e.predict.push_back(predict);
  };
  put(voc.bos(), false);
  for (auto [u, v] : inst.edges) {
    put(voc.edge(), false);
    put(voc.vertex(u), false);
    put(voc.vertex(v), false);
  }
  put(voc.sep(), false);
  put(voc.vertex(inst.source), false);
  put(voc.vertex(inst.target), false);
  put(voc.slash(), false);
  if (!inst.path.empty()) {
    for (int v : inst.path) put(voc.vertex(v), true);
    put(voc.eos(), true);
  }
  return e;
}

std::vector<int> encode_length2(const Instance& inst) {
  const int n = inst.nodes;
  const Length2Vocab voc{n};
  std::vector<int> tokens(voc.length(), Length2Vocab::empty);  // (N,)
  for (auto [u, v] : inst.edges) {
    if (u == 0 && v >= 1 && v <= n - 2) tokens[v - 1] = voc.from_source(v);
    if (v == n - 1 && u >= 1 && u <= n - 2) tokens[n - 3 + u] = voc.to_dest(u);
  }
  tokens.back() = Length2Vocab::query;
  return tokens;
}

}  // namespace moesim::graphs
