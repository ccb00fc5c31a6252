#pragma once
// The graph workloads of the benchmarks: G(n, p) and one shortest-path query per graph, on one core; and
// calibrating p to a mean shortest-path length (graphs::calibrate_p), timed.
#include "graphs/calibrate.hpp"

namespace moesim::sims {

struct GraphsBenchResult {
  long instances = 0;
  double seconds = 0;
  double per_second() const { return instances / seconds; }
};

// Generates shortest-path instances back to back for at least `seconds` of wall time.
GraphsBenchResult bench_shortest_path_instances(int n, double p, double seconds);

// `moesim data`'s path, export included: shortest-path instances of the training stream formatted as JSONL
// (what `moesim data --task shortest-path --format jsonl` writes) in chunks by `threads` threads, for at
// least `seconds`; the text is counted and dropped. bytes: the text's size.
struct ExportBenchResult : GraphsBenchResult {
  long bytes = 0;
};
ExportBenchResult bench_shortest_path_export(int n, double p, double seconds, int threads);

struct CalibrationBenchResult {
  double seconds = 0;  // wall time of one calibrate_p on the calling thread's OpenMP team
  graphs::Calibration calibration;
};
CalibrationBenchResult bench_calibration(int n, double mean_path);

// The time calibration should take at n nodes on one core, or 0 where none was set (issue: 200 and 5000).
double calibration_target_seconds(int n);

}  // namespace moesim::sims
