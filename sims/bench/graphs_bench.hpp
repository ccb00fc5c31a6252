#pragma once
// The graph workload of the benchmark: G(n, p) and one shortest-path query per graph, on one core.

namespace moesim::sims {

struct GraphsBenchResult {
  long instances = 0;
  double seconds = 0;
  double per_second() const { return instances / seconds; }
};

// Generates shortest-path instances back to back for at least `seconds` of wall time.
GraphsBenchResult bench_shortest_path_instances(int n, double p, double seconds);

}  // namespace moesim::sims
