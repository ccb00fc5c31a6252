#include "bench/graphs_bench.hpp"

#include <algorithm>
#include <chrono>

#include <sstream>

#include "data_export.hpp"
#include "graphs/instances.hpp"
#include "mean_path.hpp"
#include "run_options.hpp"
#include "tasks/task.hpp"

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

ExportBenchResult bench_shortest_path_export(int n, double p, double seconds, int threads) {
  using clock = std::chrono::steady_clock;
  std::ostringstream p_text;
  p_text.precision(17);
  p_text << p;
  const Task& task = task_named("shortest-path");
  const auto data = task.data(parse_run_options({{"task", task.name}, {"model", "dense"}, {"nodes", std::to_string(n)},
                                                 {"p", p_text.str()}, {"train-size", "0"}, {"seed", "1"}}));
  ExportBenchResult r;
  const auto start = clock::now();
  const long round = 8192L * std::max(1, threads);
  do {  // whole rounds, at least one
    export_examples(*data, {.split = "train", .offset = r.instances, .count = round}, DataFormat::Jsonl,
                    [&r](std::string_view text) { r.bytes += long(text.size()); }, threads);
    r.instances += round;
    r.seconds = std::chrono::duration<double>(clock::now() - start).count();
  } while (r.seconds < seconds);
  return r;
}

CalibrationBenchResult bench_calibration(int n, double mean_path) {
  const auto start = std::chrono::steady_clock::now();
  CalibrationBenchResult r{.calibration = calibrate_mean_path(n, mean_path)};  // UsageError if unreachable
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

double calibration_target_seconds(int n) { return n == 200 ? 0.5 : n == 5000 ? 30.0 : 0.0; }

}  // namespace moesim::sims
