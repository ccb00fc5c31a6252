#include <catch2/catch.hpp>
#include <algorithm>
#include <set>

#include "graphs/bfs.hpp"
#include "graphs/digraph.hpp"
#include "tasks/sequence_task.hpp"

using namespace moesim::sims;

TEST_CASE("phonebook: BOS name SEP number EOS, names and numbers unique, the test asks for book entries",
          "[sims][sequence_task]") {
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

TEST_CASE("shortest path: the predicted tokens are a shortest path of the prompt's graph, then EOS",
          "[sims][sequence_task]") {
  const int n = 8;
  const auto t = make_shortest_path(n, 0.3, 60, 30, 5);
  const int EDGE = n + 1, SEP = n + 4, SLASH = n + 5, EOS = n + 3;
  REQUIRE(t.vocab == n + 6);
  std::set<std::vector<int>> train_prompts;
  for (const auto* set : {&t.train, &t.test})
    for (const auto& e : *set) {
      REQUIRE(int(e.tokens.size()) - 1 <= t.max_len);  // the model reads all but the last token
      REQUIRE(e.tokens[e.prompt - 1] == SLASH);
      for (size_t i = 0; i < e.tokens.size(); ++i) REQUIRE(e.predict[i] == (int(i) >= e.prompt));
      std::vector<moesim::graphs::Edge> edges;
      size_t i = 1;
      for (; e.tokens[i] == EDGE; i += 3) edges.push_back({e.tokens[i + 1] - 1, e.tokens[i + 2] - 1});
      REQUIRE(e.tokens[i] == SEP);
      const int s = e.tokens[i + 1] - 1, target = e.tokens[i + 2] - 1;
      const std::vector<int> path(e.tokens.begin() + e.prompt, e.tokens.end() - 1);
      REQUIRE(e.tokens.back() == EOS);
      const auto g = moesim::graphs::make_graph(n, edges);
      moesim::graphs::Bfs bfs;
      REQUIRE(int(path.size()) == bfs.from(g, s)[target] + 1);  // as many vertices as the distance + 1
      REQUIRE(path.front() - 1 == s);
      REQUIRE(path.back() - 1 == target);
      for (size_t j = 0; j + 1 < path.size(); ++j)
        REQUIRE(std::count(edges.begin(), edges.end(), moesim::graphs::Edge{path[j] - 1, path[j + 1] - 1}) == 1);
      if (set == &t.train) train_prompts.insert({e.tokens.begin(), e.tokens.begin() + e.prompt});
    }
  int shared = 0;  // two random streams: at n = 8 a few small graphs may coincide, most must not
  for (const auto& e : t.test) shared += train_prompts.count({e.tokens.begin(), e.tokens.begin() + e.prompt});
  REQUIRE(shared < 5);
}
