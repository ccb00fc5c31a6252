#include "bench/graphs_bench.hpp"

#include <chrono>

#include "graphs/instances.hpp"

namespace moesim::sims {

GraphsBenchResult bench_shortest_path_instances(int n, double p, double seconds) {
  using clock = std::chrono::steady_clock;
  GraphsBenchResult r;
  const auto start = clock::now();
  long path_vertices = 0;  // used below so the work cannot be optimised away
  for (;;) {
    for (int i = 0; i < 64; ++i, ++r.instances) {
      graphs::Rng rng(1, static_cast<uint64_t>(r.instances));
      path_vertices += static_cast<long>(graphs::shortest_path_instance(n, p, rng).path.size());
    }
    r.seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (r.seconds >= seconds) break;
  }
  if (path_vertices < r.instances) r.instances = -1;  // impossible: every path has >= 2 vertices
  return r;
}

}  // namespace moesim::sims
