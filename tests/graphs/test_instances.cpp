#include <catch2/catch.hpp>
#include <set>

#include "graphs/instances.hpp"
#include "graphs/shortest_path.hpp"

using namespace moesim::graphs;

namespace {

// Independent check of the length-2 answer: (A²)[0][n-1] > 0 with the adjacency matrix A.
bool length2_by_matrix_square(int n, const std::vector<Edge>& edges) {
  std::vector<std::vector<int>> a(n, std::vector<int>(n, 0));
  for (auto [u, v] : edges) a[u][v] = 1;
  int paths = 0;
  for (int k = 0; k < n; ++k) paths += a[0][k] * a[k][n - 1];
  return paths > 0;
}

}  // namespace

TEST_CASE("parse_task: names round-trip and bad names are refused", "[graphs][instances]") {
  for (auto t : {Task::ShortestPath, Task::Connectivity, Task::Length2, Task::Disjointness})
    REQUIRE(parse_task(task_name(t)) == t);
  REQUIRE_THROWS_WITH(parse_task("length-3"), Catch::Contains("accepted: shortest-path"));
}

TEST_CASE("length-2 labels agree with the adjacency matrix squared", "[graphs][instances]") {
  Rng rng(5);
  for (int rep = 0; rep < 300; ++rep) {
    const int n = 3 + static_cast<int>(rng.below(10));
    const auto edges = erdos_renyi_edges(n, 0.3, rng);
    REQUIRE(has_length2_path(n, edges) == length2_by_matrix_square(n, edges));
  }
  for (const auto& inst : sample({.task = Task::Length2, .nodes = 12, .p = 0.2, .count = 200, .seed = 3})) {
    REQUIRE(inst.label == length2_by_matrix_square(12, inst.edges));
    REQUIRE((inst.source == 0 && inst.target == 11));
  }
}

TEST_CASE("disjointness labels are a ∩ b ≠ ∅ and the arcs encode a and b", "[graphs][instances]") {
  const auto insts = sample({.task = Task::Disjointness, .nodes = 10, .count = 400, .seed = 8});
  int positives = 0;
  for (const auto& inst : insts) {
    std::set<int> a(inst.a.begin(), inst.a.end()), common;
    for (int x : inst.b)
      if (a.count(x)) common.insert(x);
    REQUIRE(inst.label == !common.empty());
    REQUIRE(inst.label == has_length2_path(10, inst.edges));
    for (auto [u, v] : inst.edges) REQUIRE(((u == 0 && a.count(v)) || v == 9));
    REQUIRE(inst.edges.size() == inst.a.size() + inst.b.size());
    positives += inst.label;
  }
  REQUIRE(positives == 200);  // balanced by construction
  const auto fixed = disjointness_instance(6, {1, 3}, {2, 4});
  REQUIRE_FALSE(fixed.label);
  REQUIRE(disjointness_instance(6, {1, 3}, {3}).label);
  // Bit i of a mask stands for inner vertex i + 1.
  const auto masked = disjointness_from_masks(6, 0b0101, 0b1010);
  REQUIRE(masked.a == std::vector<int>{1, 3});
  REQUIRE(masked.b == std::vector<int>{2, 4});
  REQUIRE(masked.edges == fixed.edges);
  REQUIRE(disjointness_from_masks(6, 0b0101, 0b0100).label);
}

TEST_CASE("classification tasks are balanced, shortest-path queries are reachable", "[graphs][instances]") {
  for (Task task : {Task::Connectivity, Task::Length2}) {
    const auto insts = sample({.task = task, .nodes = 15, .p = 0.12, .count = 100, .seed = 4});
    int positives = 0;
    for (const auto& inst : insts) positives += inst.label;
    REQUIRE(positives == 50);
  }
  for (const auto& inst : sample({.task = Task::Connectivity, .nodes = 15, .p = 0.12, .count = 60, .seed = 2})) {
    Bfs bfs(15);
    REQUIRE(inst.label == reachable(make_graph(15, inst.edges), inst.source, inst.target, bfs));
    REQUIRE(inst.source != inst.target);
  }
  for (const auto& inst : sample({.task = Task::ShortestPath, .nodes = 15, .p = 0.1, .count = 200, .seed = 9})) {
    REQUIRE(inst.path.size() >= 2);
    REQUIRE(inst.path.front() == inst.source);
    REQUIRE(inst.path.back() == inst.target);
    std::set<Edge> arcs(inst.edges.begin(), inst.edges.end());
    for (size_t i = 0; i + 1 < inst.path.size(); ++i) REQUIRE(arcs.count({inst.path[i], inst.path[i + 1]}));
  }
}

TEST_CASE("sample: deterministic by seed, prefix-stable, seed-sensitive", "[graphs][instances]") {
  SampleSpec spec{.task = Task::ShortestPath, .nodes = 20, .p = 0.1, .count = 50, .seed = 77};
  const auto a = sample(spec), b = sample(spec);
  spec.count = 20;
  const auto prefix = sample(spec);
  spec.seed = 78;
  const auto other = sample(spec);
  int same_as_other = 0;
  for (int i = 0; i < 50; ++i) {
    REQUIRE(a[i].edges == b[i].edges);
    REQUIRE(a[i].path == b[i].path);
    if (i < 20) {
      REQUIRE(a[i].edges == prefix[i].edges);
      same_as_other += a[i].edges == other[i].edges;
    }
  }
  REQUIRE(same_as_other == 0);
}

TEST_CASE("sample: impossible requests fail with a message", "[graphs][instances]") {
  // At p = 1 every pair is connected: no negative connectivity instance exists.
  REQUIRE_THROWS_AS(sample({.task = Task::Connectivity, .nodes = 5, .p = 1.0, .count = 2, .seed = 1}),
                    SamplingError);
}

TEST_CASE("sample: a chunk starting at `first` is that stretch of the whole stream, labels included",
          "[graphs][instances]") {
  for (Task task : {Task::ShortestPath, Task::Length2}) {
    SampleSpec whole{.task = task, .nodes = 12, .p = 0.15, .count = 40, .seed = 5};
    SampleSpec chunk = whole;
    chunk.first = 25, chunk.count = 15;
    const auto a = sample(whole), b = sample(chunk);
    for (int i = 0; i < 15; ++i) {
      REQUIRE(b[i].edges == a[25 + i].edges);
      REQUIRE(b[i].label == a[25 + i].label);
      REQUIRE(b[i].path == a[25 + i].path);
    }
  }
}

TEST_CASE("sample: min_hops keeps only queries that far apart, and min_hops 1 is the plain stream",
          "[graphs][instances]") {
  SampleSpec spec{.task = Task::ShortestPath, .nodes = 12, .p = 0.2, .count = 300, .seed = 3};
  const auto plain = sample(spec);
  spec.min_hops = 1;
  const auto one = sample(spec);
  int one_hop = 0;
  for (int i = 0; i < 300; ++i) {
    REQUIRE(one[i].path == plain[i].path);  // the default draws exactly what it drew before the option
    one_hop += plain[i].path.size() == 2;
  }
  REQUIRE(one_hop > 30);  // so that excluding them is a real restriction
  spec.min_hops = 3;
  for (const auto& inst : sample(spec)) {
    Bfs bfs(12);
    REQUIRE(inst.path.size() >= 4);
    REQUIRE(int(inst.path.size()) == bfs.from(make_graph(12, inst.edges), inst.source)[inst.target] + 1);
  }
  // No pair is 4 hops apart on 4 vertices: the sampler says so instead of looping.
  REQUIRE_THROWS_AS(sample({.task = Task::ShortestPath, .nodes = 4, .p = 0.5, .count = 1, .seed = 1, .min_hops = 4}),
                    SamplingError);
}
