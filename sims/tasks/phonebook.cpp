#include "tasks/phonebook.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <unordered_set>

#include "graphs/rng.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

std::vector<PhonebookEntry> phonebook_entries(int entries, uint64_t seed) {
  if (entries < 1 || entries > 10'000'000) throw std::invalid_argument("phone book entries must be in [1, 1e7]");
  std::vector<PhonebookEntry> book;
  book.reserve(size_t(entries));
  graphs::Rng rng(seed);
  std::unordered_set<uint64_t> names, numbers;  // uniqueness of both (26^5 ≈ 1.2e7 names)
  while (int(book.size()) < entries) {
    const uint64_t name = rng.below(11881376), number = rng.below(100000000);  // 26^5, 10^8
    if (!names.insert(name).second || !numbers.insert(number).second) continue;
    book.push_back({name, number});
  }
  return book;
}

SequenceExample phonebook_example(const PhonebookEntry& entry) {
  constexpr int kBos = 36, kEos = 37, kSep = 38;
  SequenceExample e;
  e.tokens.push_back(kBos);
  for (uint64_t i = 0, name = entry.name; i < 5; ++i, name /= 26) e.tokens.push_back(int(name % 26));
  e.tokens.push_back(kSep);
  for (uint64_t i = 0, number = entry.number; i < 8; ++i, number /= 10) e.tokens.push_back(26 + int(number % 10));
  e.tokens.push_back(kEos);
  // The loss covers every token after BOS (the whole book is memorised); the metric gives BOS name SEP
  // and asks for the number and its EOS.
  e.predict.assign(e.tokens.size(), 1);
  e.predict[0] = 0;
  e.prompt = 7;
  return e;
}

SequenceData make_phonebook(int entries, int test_count, uint64_t seed) {
  SequenceData data{.vocab = 39, .pad = 37, .max_len = 15};  // pad: EOS
  for (const auto& entry : phonebook_entries(entries, seed)) data.train.push_back(phonebook_example(entry));
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

// The splits as `moesim data` writes them: train (the book, in its order; training visits it in a fresh
// shuffle per epoch) and test (the book's first test-size entries). The book is drawn once, here.
class Data : public TaskData {
 public:
  Data(int entries, int test_count, uint64_t seed)
      : book_(phonebook_entries(entries, seed)), test_(std::min(test_count, entries)) {}
  std::vector<DataSplit> splits() const override {
    return {{"train", long(book_.size()), "the book (training visits it in a new shuffle every epoch)"},
            {"test", test_, "the names asked for: the book's first test-size entries"}};
  }
  void write(const std::string&, long first, long count, DataFormat format, TextBuffer& out) const override {
    auto it = std::back_inserter(out);
    for (long i = first; i < first + count; ++i) {
      const SequenceExample e = phonebook_example(book_[size_t(i)]);
      if (format == DataFormat::Tokens) {
        append_ints(out, e.tokens);
        out.push_back('\t');
        append_mask(out, e.predict);
        out.push_back('\n');
        continue;
      }
      // The name's letters and the number's digits in token order.
      std::string name, number;
      for (int t = 1; t <= 5; ++t) name += char('a' + e.tokens[t]);
      for (int t = 7; t <= 14; ++t) number += char('0' + e.tokens[t] - 26);
      fmt::format_to(it, "{{\"name\":\"{}\",\"number\":\"{}\"}}\n", name, number);
    }
  }

 private:
  std::vector<PhonebookEntry> book_;
  long test_;
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
          .data = [](const RunOptions& o) -> std::unique_ptr<TaskData> {
            return std::make_unique<Data>(int(o.task_options.integer("entries")),
                                          int(o.task_options.integer("test-size")), o.seed);
          },
          .examples = {{{"entries", "7"}, {"test-size", "5"}}, {{"entries", "33"}, {"test-size", "40"}}}};
}

}  // namespace phonebook_task

MOESIM_REGISTER_TASK(phonebook, phonebook_task::make);

}  // namespace moesim::sims
