#pragma once
// Sequence tasks for the Transformer: each example is a prompt followed by the tokens the model must
// generate (marked by `predict`). Training minimises next-token cross-entropy on the predicted tokens;
// the metric is exact match of the whole greedy continuation.
#include <cstdint>
#include <string>
#include <vector>

namespace moesim::sims {

struct SequenceExample {
  std::vector<int> tokens;
  std::vector<char> predict;  // 1 on the tokens in the training loss
  int prompt = 0;             // the metric gives the model tokens[0, prompt) and asks for the rest
};

struct SequenceTask {
  std::string name;
  int vocab = 0;
  int pad = 0;      // padding token
  int max_len = 0;  // longest model input: an example's tokens but the last
  std::vector<SequenceExample> train, test;
};

// Phone book (REFERENCE.md §4): `entries` unique 5-letter names with unique 8-digit numbers, each a
// sequence BOS name SEP number EOS; the loss covers every token (the paper's setting: the book is memorised
// whole) and the test asks, for `test_count` names of the book, for the number and its EOS.
// Vocabulary: a-z = 0..25, 0-9 = 26..35, BOS 36, EOS 37, SEP 38 (39 tokens); PAD reuses EOS (masked).
SequenceTask make_phonebook(int entries, int test_count, uint64_t seed);

// Shortest path on directed G(n, p) (graphs/encode.hpp's sequence format): `train` and `test` instances
// from disjoint random streams of `seed`.
SequenceTask make_shortest_path(int nodes, double p, int train, int test, uint64_t seed);

}  // namespace moesim::sims
