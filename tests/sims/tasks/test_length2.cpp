// The length-2 generator: labels checked against the tokens, balance, determinism; its baselines.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "graphs/encode.hpp"
#include "run_options.hpp"
#include "tasks/length2.hpp"
#include "tasks/task.hpp"

using namespace moesim::sims;

TEST_CASE("length2: each label says whether some inner vertex v has both arcs (s, v) and (v, d)",
          "[sims][length2]") {
  const int n = 10;
  const int N = 2 * (n - 2) + 1;
  for (bool disjointness : {false, true}) {
    const Length2Spec spec{.nodes = n, .disjointness = disjointness, .p = 0.3};
    const auto train = length2_set(spec, 7, 0, 200, Length2Labels::Alternating), test = length2_set(spec, 8, 0, 100, Length2Labels::Alternating);
    for (const auto* set : {&train, &test}) {
    REQUIRE(int(set->tokens.size()) == set->count * N);
    REQUIRE(int(set->labels.size()) == set->count);
    int positive = 0;
    for (int i = 0; i < set->count; ++i) {
      const int* x = set->tokens.data() + size_t(i) * N;
      bool path = false;
      for (int v = 1; v <= n - 2; ++v) {
        REQUIRE((x[v - 1] == 0 || x[v - 1] == 1 + v));          // slot of arc (s, v)
        REQUIRE((x[n - 3 + v] == 0 || x[n - 3 + v] == n - 1 + v));  // slot of arc (v, d)
        path |= x[v - 1] != 0 && x[n - 3 + v] != 0;
      }
      REQUIRE(x[N - 1] == 1);  // QUERY
      REQUIRE(set->labels[i] == (path ? 1.0f : -1.0f));
      positive += path;
    }
    REQUIRE(positive == set->count / 2);  // balanced
    }
    REQUIRE(train.tokens != test.tokens);
    REQUIRE(length2_set(spec, 7, 0, 200, Length2Labels::Alternating).tokens == train.tokens);           // deterministic
    REQUIRE(length2_set(spec, 7, 150, 50, Length2Labels::Alternating).tokens ==  // example i depends on (seed, i) only
            std::vector<int>(train.tokens.begin() + 150 * N, train.tokens.end()));
  }
}

TEST_CASE("length2: the hard distribution is balanced and counting arcs is at chance", "[sims][length2]") {
  for (int n : {8, 16, 64}) {
    const Length2Spec spec{.nodes = n, .disjointness = true};
    const auto set = length2_set(spec, 11, 0, 10000, Length2Labels::Alternating);
    const int N = 2 * (n - 2) + 1;
    long positive = 0;
    for (float y : set.labels) positive += y > 0;
    INFO("|V| = " << n);
    REQUIRE(positive == 5000);
    REQUIRE(arc_count_baseline(set, N) <= 0.52);  // the best threshold on 10,000 inputs: chance within 2%
    for (int i = 0; i < 200; ++i) {  // |a ∩ b| in {0, 1}
      int shared = 0;
      for (int v = 1; v <= n - 2; ++v) shared += set.tokens[size_t(i) * N + v - 1] != 0 && set.tokens[size_t(i) * N + n - 3 + v] != 0;
      REQUIRE(shared == (set.labels[i] > 0 ? 1 : 0));
    }
  }
  // G(n, p) at the same size: the count of arcs goes far.
  REQUIRE(arc_count_baseline(length2_set({.nodes = 8, .p = balanced_gnp_p(8)}, 11, 0, 10000, Length2Labels::Alternating), 13) > 0.6);
}

TEST_CASE("length2: fresh data never repeats, the confirmation set is disjoint from the training stream",
          "[sims][length2]") {
  const auto o = parse_run_options({{"task", "length2"}, {"model", "onelayer"}, {"nodes", "64"},
                                    {"distribution", "disjointness"}, {"train-size", "0"}, {"test-size", "500"},
                                    {"confirm-size", "2000"}, {"batch", "100"}, {"seed", "4"}});
  const auto run = task_named("length2").make(o);
  std::set<std::vector<int>> training;
  for (long step = 0; step < 100; ++step) {  // 10,000 training inputs
    const auto b = run->batch(step, 100);
    for (int r = 0; r < 100; ++r) training.insert(std::vector<int>(b.tokens.begin() + r * b.T, b.tokens.begin() + (r + 1) * b.T));
  }
  REQUIRE(training.size() == 10000);  // no input twice
  REQUIRE(run->record()["test_in_training"] == 0);
  REQUIRE(run->record()["fresh_training_data"] == true);
  const Length2Spec spec{.nodes = 64, .disjointness = true};
  const auto confirm = length2_set(spec, split_seed(4, Split::Confirm), 0, 2000, Length2Labels::Alternating);
  const auto test = length2_set(spec, split_seed(4, Split::Test), 0, 500, Length2Labels::Alternating);
  const int N = 2 * 62 + 1;
  for (int i = 0; i < 2000; ++i)
    REQUIRE_FALSE(training.count(std::vector<int>(confirm.tokens.begin() + i * N, confirm.tokens.begin() + (i + 1) * N)));
  // At |V| = 4 there are few inputs: a fixed training set holds most of the test inputs, and says so.
  const auto tiny = task_named("length2").make(parse_run_options(
      {{"task", "length2"}, {"model", "onelayer"}, {"nodes", "4"}, {"p", "0.5"}, {"train-size", "500"}, {"test-size", "50"}}));
  REQUIRE(tiny->record()["test_in_training"].get<long>() > 0);
  REQUIRE(test.count == 500);
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
  REQUIRE(run->record()["p"] == 0.3);
}

TEST_CASE("length2: the fresh stream's labels are fair coins, so its batches are not all exactly balanced",
          "[sims][length2]") {
  // Alternating labels made every batch of consecutive examples exactly half positive, which trapped
  // training on fresh data (results/pilots/moe-data); stored sets keep them (their batches are shuffled).
  const int n = 16, N = 2 * (n - 2) + 1;
  for (bool disjointness : {false, true}) {
    const Length2Spec spec{.nodes = n, .disjointness = disjointness, .p = balanced_gnp_p(n)};
    const auto set = length2_set(spec, 7, 0, 10000, Length2Labels::Independent);
    long positive = 0;
    int exactly_half = 0;
    for (int batch = 0; batch < 100; ++batch) {
      int in_batch = 0;
      for (int r = 0; r < 100; ++r) in_batch += set.labels[batch * 100 + r] > 0;
      exactly_half += in_batch == 50;
      positive += in_batch;
    }
    INFO("disjointness " << disjointness);
    REQUIRE(std::abs(positive - 5000) <= 200);  // balanced within 2% (the binomial's sd is 50)
    REQUIRE(exactly_half < 30);                 // P(50 of 100) = 0.08
    for (int i = 0; i < 500; ++i) {             // each label still says whether a length-2 path exists
      const int* x = set.tokens.data() + size_t(i) * N;
      bool path = false;
      for (int v = 1; v <= n - 2; ++v) path |= x[v - 1] != 0 && x[n - 3 + v] != 0;
      REQUIRE(set.labels[i] == (path ? 1.0f : -1.0f));
    }
    const auto tail = length2_set(spec, 7, 9000, 1000, Length2Labels::Independent);  // (seed, i) only
    REQUIRE(tail.tokens == std::vector<int>(set.tokens.begin() + 9000 * N, set.tokens.end()));
    REQUIRE(tail.labels == std::vector<float>(set.labels.begin() + 9000, set.labels.end()));
    REQUIRE(length2_set(spec, 8, 0, 10000, Length2Labels::Independent).labels != set.labels);  // seeded
  }
  // The coins are pinned: another hash would change every fresh run's data without a version's word.
  std::string first;
  for (float y : length2_set({.nodes = 16, .disjointness = true}, 7, 0, 32, Length2Labels::Independent).labels)
    first += y > 0 ? '+' : '-';
  REQUIRE(first == "+-++---++--+-----++++--++-++----");
}

TEST_CASE("length2: --fresh-labels labels the fresh stream only", "[sims][length2]") {
  const Options base{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "12"}, {"distribution", "disjointness"},
                     {"test-size", "20"}, {"batch", "64"}};
  auto balanced_batches = [&](const Options& extra) {
    const auto run = task_named("length2").make(parse_run_options(extra, base));
    int balanced = 0;
    for (long step = 0; step < 20; ++step) {
      const auto b = run->batch(step, 64);
      int positive = 0;
      for (float y : b.labels) positive += y > 0;
      balanced += positive == 32;
    }
    return balanced;
  };
  REQUIRE(balanced_batches({{"train-size", "0"}}) < 10);  // the default: a fair coin per example
  REQUIRE(balanced_batches({{"train-size", "0"}, {"fresh-labels", "alternating"}}) == 20);
  // The option is part of a fresh run's identity, and left out of a stored set's (its records stay valid).
  REQUIRE(run_config_json(parse_run_options({{"train-size", "0"}}, base)).at("fresh-labels") == "independent");
  REQUIRE_FALSE(run_config_json(parse_run_options({{"train-size", "500"}}, base)).contains("fresh-labels"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"train-size", "500"}, {"fresh-labels", "alternating"}}, base)),
                      Catch::Contains("--fresh-labels labels the fresh training stream"));
  REQUIRE_THROWS_WITH(parse_run_options({{"fresh-labels", "random"}}, base), Catch::Contains("--fresh-labels"));
  // A constant output's training accuracy, which the critical-width figure reads as "at chance": the
  // share of the commoner label among the training inputs the train metric scores.
  const auto fresh = parse_run_options({{"train-size", "0"}}, base);
  const auto seen = length2_set({.nodes = 12, .disjointness = true}, split_seed(fresh.seed, Split::Train), 0,
                                fresh.fresh_train_split(), Length2Labels::Independent);
  REQUIRE(task_named("length2").make(fresh)->record().at("train_majority") == majority_share(seen));
  REQUIRE(task_named("length2").make(parse_run_options({{"train-size", "500"}}, base))->record().at("train_majority") == 0.5);
}

TEST_CASE("length2: --mask-empty keeps EMPTY out of the model's keys, and out of a run's identity when off",
          "[sims][length2]") {
  const Options base{{"task", "length2"}, {"model", "onelayer"}, {"nodes", "12"}, {"distribution", "disjointness"},
                     {"test-size", "20"}};
  REQUIRE(task_named("length2").make(parse_run_options({}, base))->shape().masked_token == -1);
  const auto masked = parse_run_options({{"mask-empty", "true"}}, base);
  REQUIRE(task_named("length2").make(masked)->shape().masked_token == moesim::graphs::Length2Vocab::empty);
  REQUIRE(run_config_json(masked).at("mask-empty") == true);
  // Records made before the option keep their identities.
  REQUIRE_FALSE(run_config_json(parse_run_options({}, base)).contains("mask-empty"));
  // Only length-2 has EMPTY tokens.
  REQUIRE_THROWS_WITH(parse_run_options({{"task", "gaussian"}, {"model", "onelayer"}, {"mask-empty", "true"}}),
                      Catch::Contains("mask-empty"));
}
