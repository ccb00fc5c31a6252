// The length-2 generator: labels checked against the tokens, balance, determinism; its baselines.
#include <catch2/catch.hpp>
#include <cmath>

#include "run_options.hpp"
#include "tasks/length2.hpp"

using namespace moesim::sims;

TEST_CASE("length2: each label says whether some inner vertex v has both arcs (s, v) and (v, d)",
          "[sims][length2]") {
  const int n = 10;
  const auto t = make_length2(n, 0.3, 200, 100, 7);
  REQUIRE(t.vocab == 2 * n - 2);
  REQUIRE(t.N == 2 * (n - 2) + 1);
  for (const auto* set : {&t.train, &t.test}) {
    REQUIRE(int(set->tokens.size()) == set->count * t.N);
    REQUIRE(int(set->labels.size()) == set->count);
    int positive = 0;
    for (int i = 0; i < set->count; ++i) {
      const int* x = set->tokens.data() + size_t(i) * t.N;
      bool path = false;
      for (int v = 1; v <= n - 2; ++v) {
        REQUIRE((x[v - 1] == 0 || x[v - 1] == 1 + v));          // slot of arc (s, v)
        REQUIRE((x[n - 3 + v] == 0 || x[n - 3 + v] == n - 1 + v));  // slot of arc (v, d)
        path |= x[v - 1] != 0 && x[n - 3 + v] != 0;
      }
      REQUIRE(x[t.N - 1] == 1);  // QUERY
      REQUIRE(set->labels[i] == (path ? 1.0f : -1.0f));
      positive += path;
    }
    REQUIRE(positive == set->count / 2);  // balanced
  }
  REQUIRE(t.train.tokens != t.test.tokens);
  REQUIRE(make_length2(n, 0.3, 200, 100, 7).train.tokens == t.train.tokens);
}

TEST_CASE("length2: the arc-count baseline is the best threshold on the number of arcs", "[sims][length2]") {
  // Four inputs on 4 vertices (N = 5): arcs 0, 1, 3 and 4; labels -, -, +, -: "positive iff arcs >= 3" gets
  // three of four, and no threshold does better.
  ClassificationSet set;
  set.count = 4;
  set.tokens = {0, 0, 0, 0, 1,  2, 0, 0, 0, 1,  2, 3, 4, 0, 1,  2, 3, 4, 5, 1};
  set.labels = {-1, -1, 1, -1};
  REQUIRE(arc_count_baseline(set, 5) == 0.75);
  set.labels = {1, 1, -1, -1};  // fewer arcs, positive: the reversed direction counts too
  REQUIRE(arc_count_baseline(set, 5) == 1.0);
  const auto run = task_named("length2").make(parse_run_options(
      {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "8"}, {"p", "0.3"}, {"train-size", "10"}, {"test-size", "400"}}));
  const auto b = run->baselines();
  REQUIRE(b.at("majority") == 0.5);  // balanced
  REQUIRE(b.at("arc_count") > 0.6);  // G(n, 0.3): more arcs, more paths; a count alone goes far
}
