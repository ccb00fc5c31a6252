#include "tasks/phonebook.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

#include "graphs/rng.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

SequenceData make_phonebook(int entries, int test_count, uint64_t seed) {
  if (entries < 1 || entries > 10'000'000) throw std::invalid_argument("phone book entries must be in [1, 1e7]");
  constexpr int kBos = 36, kEos = 37, kSep = 38;
  SequenceData data{.vocab = 39, .pad = kEos, .max_len = 15};
  graphs::Rng rng(seed);
  std::unordered_set<uint64_t> names, numbers;  // uniqueness of both (26^5 ≈ 1.2e7 names)
  while (int(data.train.size()) < entries) {
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
    data.train.push_back(e);
  }
  // The test asks for numbers of the book: the first test_count entries (the book is in random order).
  data.test.assign(data.train.begin(), data.train.begin() + std::min(test_count, entries));
  return data;
}

namespace phonebook_task {

class Run : public SequenceTaskRun {
 public:
  using SequenceTaskRun::SequenceTaskRun;
  // Guessing an 8-digit number: one chance in 10^8 per test name.
  std::map<std::string, double> baselines() const override { return {{"guess_number", 1e-8}}; }
};

Task make() {
  return {.name = "phonebook",
          .help = "memorise a book of names and 8-digit numbers (exact match of the number)",
          .family = Family::Transformer,
          .options = {int_option("entries", 64, 1, 10000000, "phone book size"), test_size_option(), epochs_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            return std::make_unique<Run>(make_phonebook(int(o.task_options.integer("entries")),
                                                        int(o.task_options.integer("test-size")), o.seed),
                                         o.seed);
          },
          .check = {},
          .train_examples = [](const RunOptions& o) { return long(o.task_options.integer("entries")); },
          .examples = {{{"entries", "7"}, {"test-size", "5"}}, {{"entries", "33"}, {"test-size", "40"}}}};
}

}  // namespace phonebook_task

MOESIM_REGISTER_TASK(phonebook, phonebook_task::make);

}  // namespace moesim::sims
