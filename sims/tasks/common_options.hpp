#pragma once
// Task options that several tasks take, declared once so that every task declares them alike.
#include "option_spec.hpp"
#include "run_options.hpp"

namespace moesim::sims {

inline OptionSpec test_size_option() { return int_option("test-size", 200, 1, 1000000, "test examples"); }
inline OptionSpec train_size_option() {
  return int_option("train-size", 2000, 0, 100000000, "training examples (0: fresh examples at every step, none repeated)");
}
// Passes over a fixed training set (the memorisation tasks): the run trains ceil(epochs * examples / batch)
// steps, so runs on sets of any size see each example equally often.
inline OptionSpec epochs_option() {
  OptionSpec s = real_option("epochs", 0, 0, 1e6,
                             "passes over the training set: steps = ceil(epochs * examples / batch) (0: use --steps)");
  s.excludes = "steps";
  return s;
}
inline OptionSpec confirm_size_option() {
  return int_option("confirm-size", 0, 0, 1000000,
                    "examples of a confirmation set scored once after training, never seen before (0: none); "
                    "a search decides on it");
}
inline OptionSpec nodes_option() { return int_option("nodes", 8, 3, 5000, "graph vertices |V|"); }
inline OptionSpec p_option() {
  OptionSpec s = real_option("p", 0, 0, 1, "edge probability of G(n, p) (0: the task's default)");
  s.excludes = "mean-path";
  return s;
}
inline OptionSpec mean_path_option() {
  return real_option("mean-path", 0, 0, 1e6, "calibrate p to this mean shortest-path length (0: use --p)");
}

// The p a graph task samples with: the calibrated p of --mean-path, else --p, else `fallback`.
double graph_p(const RunOptions& o, double fallback);
// --mean-path is 0 (off) or at least 1 (the smallest mean a graph has); throws UsageError.
void check_mean_path(const RunOptions& o);

}  // namespace moesim::sims
