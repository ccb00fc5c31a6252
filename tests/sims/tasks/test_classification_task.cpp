#include <catch2/catch.hpp>
#include <cmath>

#include "tasks/classification_task.hpp"

using namespace moesim::sims;

TEST_CASE("length2: each label says whether some inner vertex v has both arcs (s, v) and (v, d)",
          "[sims][classification_task]") {
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

TEST_CASE("gaussian: N(0,1) inputs, random labels, the test set is the training set", "[sims][classification_task]") {
  const auto t = make_gaussian(400, 5, 6, 11);
  REQUIRE(t.input_dim == 6);
  REQUIRE(t.N == 5);
  REQUIRE(t.train.x.size() == 400u * 5 * 6);
  double mean = 0, sq = 0;
  for (float v : t.train.x) mean += v, sq += double(v) * v;
  mean /= double(t.train.x.size()), sq /= double(t.train.x.size());
  REQUIRE(std::abs(mean) < 0.05);  // 12,000 draws: sd of the mean 0.009
  REQUIRE(std::abs(sq - 1) < 0.05);
  int positive = 0;
  for (float y : t.train.labels) {
    REQUIRE((y == 1.0f || y == -1.0f));
    positive += y > 0;
  }
  REQUIRE(std::abs(positive - 200) < 50);
  REQUIRE(t.test.x == t.train.x);
  REQUIRE(t.test.labels == t.train.labels);
  REQUIRE(make_gaussian(400, 5, 6, 12).train.x != t.train.x);
}
