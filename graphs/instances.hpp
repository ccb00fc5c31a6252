#pragma once
// Graph-problem instances: shortest path, connectivity, length-2 path, set disjointness.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "digraph.hpp"

namespace moesim::graphs {

enum class Task { ShortestPath, Connectivity, Length2, Disjointness };

// Accepted spellings: shortest-path, connectivity, length2, disjointness. Throws std::invalid_argument.
Task parse_task(std::string_view name);
std::string_view task_name(Task task);
bool is_classification(Task task);

struct Instance {
  int nodes = 0;
  std::vector<Edge> edges;  // sorted by (u, v)
  int source = 0, target = 0;
  std::vector<int> path;    // ShortestPath: the lexicographically smallest shortest path, source..target
  bool label = false;       // Connectivity, Length2, Disjointness
  std::vector<int> a, b;    // Disjointness: Alice's and Bob's subsets of the inner vertices 1..n-2
};

// Thrown when the requested instances cannot be found at this (n, p) (e.g. no negative length-2 instance
// exists at p = 1). The message says what was tried.
class SamplingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SampleSpec {
  Task task = Task::ShortestPath;
  int nodes = 10;
  double p = 0.3;  // ignored by Disjointness
  int count = 1;
  uint64_t seed = 0;
  uint64_t first = 0;  // the index of the first instance: a chunk of a longer stream
  int min_hops = 1;    // ShortestPath: only queries whose shortest path has at least this many arcs
};

// Instances first .. first + count - 1. Instance i depends only on (seed, i): it draws from random stream i, so datasets
// are reproducible, extendable and generated in parallel. Classification tasks alternate labels
// (even i positive, odd i negative), so any prefix of even length is exactly balanced.
std::vector<Instance> sample(const SampleSpec& spec);

// One instance of each kind, from its own random stream.
//  - shortest path: the query (s, t) is uniform over the ordered pairs of a G(n, p) graph with t reachable
//    from s in min_hops or more arcs (a source s is kept with probability |far(s)|/(n-1), then t is
//    uniform in far(s)). min_hops = 2 removes the one-hop queries, whose answer "s t" needs no reasoning.
//  - connectivity: (s, t) uniform over ordered pairs, graphs redrawn until reachability equals `label`.
//  - length-2: s = 0, d = n-1, graphs redrawn until the answer equals `label`.
Instance shortest_path_instance(int n, double p, Rng& rng, int min_hops = 1);
Instance connectivity_instance(int n, double p, bool label, Rng& rng);
Instance length2_instance(int n, double p, bool label, Rng& rng);

// Is there a v with arcs s -> v and v -> d, for s = 0, d = n-1?
bool has_length2_path(int n, const std::vector<Edge>& edges);

// The length-2 instance of DISJ_{n-2} (docs/claims.md: claim 1): arcs (0, i) for i in a, (i, n-1) for i in b;
// the label is a ∩ b ≠ ∅.
Instance disjointness_instance(int n, std::vector<int> a, std::vector<int> b);
// The same with a and b as bit masks over the inner vertices: bit i stands for vertex i + 1.
Instance disjointness_from_masks(int n, uint64_t a_mask, uint64_t b_mask);
// Random (a, b): each inner vertex is independently in neither, a, b or both; a negative instance never
// puts one in both, a positive one is redrawn until some vertex is in both.
Instance random_disjointness_instance(int n, bool label, Rng& rng);
// The hard instances of the reduction: |a| and |b| independently Binomial(n-2, 1/4), redrawn until
// 1 <= |a|, |b| and |a| + |b| <= n-2, so the sizes follow one law under both labels and no count of arcs
// tells the answers apart; a negative instance draws b from the complement of a, a positive one shares
// exactly one element of a (uniform) and draws the rest of b from the complement, |a ∩ b| in {0, 1}.
// Needs n >= 4 (std::invalid_argument).
Instance balanced_disjointness_instance(int n, bool label, Rng& rng);

}  // namespace moesim::graphs
