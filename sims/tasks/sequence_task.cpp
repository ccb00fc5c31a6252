#include "tasks/sequence_task.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "graphs/encode.hpp"
#include "graphs/instances.hpp"

namespace moesim::sims {

SequenceTask make_phonebook(int entries, int test_count, uint64_t seed) {
  if (entries < 1 || entries > 10'000'000) throw std::invalid_argument("phone book entries must be in [1, 1e7]");
  constexpr int kBos = 36, kEos = 37, kSep = 38;
  SequenceTask task{"phonebook", 39, kEos, 15, {}, {}};
  graphs::Rng rng(seed);
  std::unordered_set<uint64_t> names, numbers;  // uniqueness of both (26^5 ≈ 1.2e7 names)
  while (int(task.train.size()) < entries) {
    uint64_t name = rng.below(11881376), number = rng.below(100000000);  // 26^5, 10^8
    if (!names.insert(name).second || !numbers.insert(number).second) continue;
    SequenceExample e;
    e.tokens.push_back(kBos);
    for (int i = 0; i < 5; ++i, name /= 26) e.tokens.push_back(int(name % 26));
    e.tokens.push_back(kSep);
    for (int i = 0; i < 8; ++i, number /= 10) e.tokens.push_back(26 + int(number % 10));
    e.tokens.push_back(kEos);
    // The loss covers every token after BOS (the whole book is memorised); the metric gives BOS name SEP
    // and asks for the number and its EOS.
    e.predict.assign(e.tokens.size(), 1);
    e.predict[0] = 0;
    e.prompt = 7;
    task.train.push_back(e);
  }
  // The test asks for numbers of the book: the first test_count entries (the book is in random order).
  task.test.assign(task.train.begin(), task.train.begin() + std::min(test_count, entries));
  return task;
}

SequenceTask make_shortest_path(int nodes, double p, int train, int test, uint64_t seed) {
  const graphs::SequenceVocab voc{nodes};
  SequenceTask task{"shortest-path", voc.size(), graphs::SequenceVocab::pad, 0, {}, {}};
  auto add = [&](std::vector<SequenceExample>& out, uint64_t stream_seed, int count) {
    for (const auto& inst : graphs::sample({graphs::Task::ShortestPath, nodes, p, count, stream_seed})) {
      const auto e = graphs::encode_sequence(inst);
      const int prompt = int(std::find(e.predict.begin(), e.predict.end(), 1) - e.predict.begin());
      out.push_back({e.tokens, e.predict, prompt});
      task.max_len = std::max(task.max_len, int(e.tokens.size()) - 1);
    }
  };
  add(task.train, graphs::Rng::splitmix64(seed), train);  // two seeds derived apart: disjoint streams
  uint64_t s2 = seed ^ 0x5DEECE66Dull;
  add(task.test, graphs::Rng::splitmix64(s2), test);
  return task;
}

}  // namespace moesim::sims
