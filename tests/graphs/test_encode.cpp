#include <catch2/catch.hpp>

#include "graphs/encode.hpp"

using namespace moesim::graphs;

TEST_CASE("encode_sequence: layout, vocabulary and predict mask", "[graphs][encode]") {
  Instance inst{.nodes = 4, .edges = {{0, 1}, {1, 3}}, .source = 0, .target = 3, .path = {0, 1, 3}};
  const SequenceVocab v{4};
  const auto e = encode_sequence(inst);
  const std::vector<int> expected{v.bos(),       v.edge(),      v.vertex(0), v.vertex(1), v.edge(),
                                  v.vertex(1),   v.vertex(3),   v.sep(),     v.vertex(0), v.vertex(3),
                                  v.slash(),     v.vertex(0),   v.vertex(1), v.vertex(3), v.eos()};
  REQUIRE(e.tokens == expected);
  REQUIRE(e.predict == std::vector<char>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1});
  REQUIRE(v.size() == 10);  // n + 6
  for (int t : e.tokens) REQUIRE((t >= 0 && t < v.size()));
}

TEST_CASE("encode_length2: slots for A and B, QUERY last", "[graphs][encode]") {
  const int n = 6;
  const auto inst = disjointness_instance(n, {1, 4}, {2, 4});
  const Length2Vocab v{n};
  const auto tokens = encode_length2(inst);
  REQUIRE(static_cast<int>(tokens.size()) == v.length());
  // A = slots 0..3 for arcs (0, v), v = 1..4; B = slots 4..7 for arcs (v, 5).
  REQUIRE(tokens == std::vector<int>{v.from_source(1), 0, 0, v.from_source(4), 0, v.to_dest(2), 0,
                                     v.to_dest(4), Length2Vocab::query});
  for (int t : tokens) REQUIRE((t >= 0 && t < v.size()));
}
