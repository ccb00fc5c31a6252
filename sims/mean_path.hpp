#pragma once
// --mean-path on any command: p calibrated so that G(n, p) has that mean shortest path. A mean the graphs
// cannot reach is bad input (UsageError, exit 2), with the reachable range in the message.
#include <string>

#include "usage_error.hpp"
#include "graphs/calibrate.hpp"

namespace moesim::sims {

inline graphs::Calibration calibrate_mean_path(int nodes, double mean_path,
                                               const graphs::CalibrationOptions& options = {}) {
  try {
    return graphs::calibrate_p(nodes, mean_path, options);
  } catch (const graphs::CalibrationError& e) {
    throw UsageError(std::string("--mean-path: ") + e.what());
  }
}

}  // namespace moesim::sims
