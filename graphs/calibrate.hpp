#pragma once
// Calibration of the Erdős–Rényi edge probability to a target mean shortest-path length.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace moesim::graphs {

struct CalibrationOptions {
  int graphs = 400;          // size of the fixed sample of graphs the mean is measured on
  uint64_t seed = 20241021;  // the sample's seed: the same (n, target) always gives the same p
  double p_tolerance = 1e-6;
  // A target at most this far above the largest reachable mean is served by the peak's p (directed
  // G(25, p) peaks at a mean of about 3.48, just short of the paper's 3.5); further above is an error.
  double mean_tolerance = 0.05;
};

struct Calibration {
  double p = 0;              // calibrated edge probability
  double achieved_mean = 0;  // mean shortest-path length at p, over the sample
  double peak_mean = 0;      // the largest mean over p, and where it is reached
  double peak_p = 0;
  bool at_peak = false;      // the target lay above the peak (within mean_tolerance): p is the peak's
};

// Thrown when no p reaches the target for this n (the target exceeds the largest mean over p, or is < 1).
class CalibrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Mean shortest-path length over the reachable ordered pairs of `graphs` sampled G(n, p), pooled (total
// length / total pairs). Graph j of the sample always uses random stream j of `seed`, so the sample is
// the same for every p (common random numbers): the mean is a step function of p, not a noisy one.
double mean_path_length(int n, double p, int graphs, uint64_t seed);

// The p at which the mean path length is `target`. The mean rises from 1 (tiny p: only single arcs are
// reachable) to a peak near the percolation point p ≈ 1/n and falls back to 1 at p = 1; the toolkit takes
// the dense side (p above the peak), where most pairs are connected, and bisects there. The peak is found
// on a geometric grid, then refined by golden-section search.
Calibration calibrate_p(int n, double target = 3.5, const CalibrationOptions& options = {});

}  // namespace moesim::graphs
