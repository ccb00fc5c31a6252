// The phone book's generator: its format, uniqueness and determinism, and its baseline.
#include <catch2/catch.hpp>
#include <algorithm>
#include <set>

#include "run_options.hpp"
#include "tasks/phonebook.hpp"

using namespace moesim::sims;

TEST_CASE("phonebook: BOS name SEP number EOS, names and numbers unique, the test asks for book entries",
          "[sims][phonebook]") {
  const auto t = make_phonebook(500, 40, 3);
  REQUIRE(t.vocab == 39);
  REQUIRE(t.train.size() == 500);
  REQUIRE(t.test.size() == 40);
  std::set<std::vector<int>> names, numbers;
  for (const auto& e : t.train) {
    REQUIRE(e.tokens.size() == 16);
    REQUIRE(int(e.tokens.size()) - 1 == t.max_len);  // the model reads all but the last token
    REQUIRE(e.tokens.front() == 36);
    REQUIRE(e.tokens[6] == 38);
    REQUIRE(e.tokens.back() == 37);
    for (int i = 1; i <= 5; ++i) REQUIRE((e.tokens[i] >= 0 && e.tokens[i] < 26));
    for (int i = 7; i < 15; ++i) REQUIRE((e.tokens[i] >= 26 && e.tokens[i] < 36));
    names.insert({e.tokens.begin() + 1, e.tokens.begin() + 6});
    numbers.insert({e.tokens.begin() + 7, e.tokens.begin() + 15});
    REQUIRE(e.predict[0] == 0);  // the loss covers every token after BOS
    REQUIRE(std::count(e.predict.begin(), e.predict.end(), 1) == 15);
    REQUIRE(e.prompt == 7);  // the metric gives BOS name SEP
  }
  REQUIRE(names.size() == 500);
  REQUIRE(numbers.size() == 500);
  for (const auto& e : t.test) REQUIRE(std::find_if(t.train.begin(), t.train.end(), [&](const auto& b) {
                                          return b.tokens == e.tokens;
                                        }) != t.train.end());
  REQUIRE(make_phonebook(500, 40, 3).train[123].tokens == t.train[123].tokens);
  REQUIRE(make_phonebook(500, 40, 4).train[0].tokens != t.train[0].tokens);
  REQUIRE_THROWS_WITH(make_phonebook(0, 1, 1), Catch::Contains("entries"));
}

TEST_CASE("phonebook: the task trains a Transformer and its baseline is a guessed number", "[sims][phonebook]") {
  const Task& task = task_named("phonebook");
  REQUIRE(task.family == Family::Transformer);
  const auto run = task.make(parse_run_options({{"task", "phonebook"}, {"model", "dense"}, {"entries", "10"}}));
  REQUIRE(run->shape().vocab == 39);
  REQUIRE(run->shape().max_len == 15);
  REQUIRE(run->baselines().at("guess_number") == 1e-8);
}
