#include "tasks/common_options.hpp"

#include "mean_path.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

double graph_p(const RunOptions& o, double fallback) {
  const double mean_path = o.task_options.real("mean-path");
  if (mean_path > 0) return calibrate_mean_path(int(o.task_options.integer("nodes")), mean_path).p;
  const double p = o.task_options.real("p");
  return p > 0 ? p : fallback;
}

void check_mean_path(const RunOptions& o) {
  const double mean_path = o.task_options.real("mean-path");
  if (mean_path > 0 && mean_path < 1)
    throw UsageError("--mean-path: " + std::to_string(mean_path) + " is below 1, the shortest mean a graph has (accepted: 0 for off, or >= 1)");
}

}  // namespace moesim::sims
