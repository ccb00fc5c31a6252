// The shortest-path generator: every answer checked by BFS on the prompt's own graph; the graph-blind
// baselines; --min-hops.
#include <catch2/catch.hpp>
#include <algorithm>
#include <set>

#include "graphs/bfs.hpp"
#include "graphs/digraph.hpp"
#include "run_options.hpp"
#include "tasks/shortest_path.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("shortest path: the predicted tokens are a shortest path of the prompt's graph, then EOS",
          "[sims][shortest_path]") {
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

TEST_CASE("shortest path: answering the query's own ends scores the share of one-hop queries", "[sims][shortest_path]") {
  // Two examples by hand: a one-hop path (s t EOS) and a two-hop one (s v t EOS) after a 3-token prompt.
  std::vector<SequenceExample> examples{{{1, 2, 3, 4, 5, 9}, {}, 3}, {{1, 2, 3, 4, 6, 5, 9}, {}, 3}};
  REQUIRE(one_hop_share(examples) == 0.5);
  REQUIRE(one_hop_share({}) == 0.0);
  const auto run = task_named("shortest-path").make(parse_run_options(
      {{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "8"}, {"p", "0.25"}, {"train-size", "10"}, {"test-size", "300"}}));
  const double share = run->baselines().at("answer_s_t");
  REQUIRE(share == one_hop_share(make_shortest_path(8, 0.25, 10, 300, 0).test));
  REQUIRE(share > 0.2);  // at p = 0.25 on 8 nodes many queries are one hop: the floor a figure must show
  REQUIRE(run->record()["p"] == 0.25);
}

TEST_CASE("shortest path: the smallest-middle guess scores the two-hop paths through the smallest other vertex",
          "[sims][shortest_path]") {
  // Vertex v is token v + 1. Prompts of 3 tokens, then the path and EOS (token 9).
  std::vector<SequenceExample> examples{
      {{1, 2, 3, 1, 3, 9}, {}, 3},        // s=0 t=2: one hop, no middle
      {{1, 2, 3, 2, 1, 3, 9}, {}, 3},     // s=1 m=0 t=2: 0 is the smallest other vertex, a hit
      {{1, 2, 3, 1, 2, 4, 9}, {}, 3},     // s=0 m=1 t=3: 1 is the smallest other than 0 and 3, a hit
      {{1, 2, 3, 1, 3, 4, 9}, {}, 3},     // s=0 m=2 t=3: 1 would be the guess, a miss
      {{1, 2, 3, 1, 2, 3, 4, 9}, {}, 3}};  // three hops: a miss
  REQUIRE(smallest_middle_share(examples) == 0.4);
  REQUIRE(smallest_middle_share({}) == 0.0);
}

TEST_CASE("shortest path: --min-hops 2 removes the one-hop queries and their floor", "[sims][shortest_path]") {
  auto options = [](std::string min_hops) {
    return parse_run_options({{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "10"}, {"p", "0.25"},
                              {"train-size", "50"}, {"test-size", "400"}, {"min-hops", min_hops}});
  };
  const auto& task = task_named("shortest-path");
  const auto plain = task.make(options("1")), far = task.make(options("2"));
  REQUIRE(plain->baselines().at("answer_s_t") > 0.15);
  REQUIRE(far->baselines().at("answer_s_t") == 0.0);
  const double middle = far->baselines().at("answer_s_m_t");
  REQUIRE(middle > 0.0);  // the guess is right on some two-hop paths...
  REQUIRE(middle < 0.5);  // ...and far from all of them
  for (const auto& e : make_shortest_path(10, 0.25, 50, 100, 7, 2).train) REQUIRE(e.tokens.size() - e.prompt >= 4);
  REQUIRE_THROWS_AS(task.check(parse_run_options({{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "5"},
                                                  {"min-hops", "5"}})),
                    moesim::sims::UsageError);
}
