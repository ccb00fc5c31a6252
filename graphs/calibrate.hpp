#pragma once
// Calibration of the Erdős–Rényi edge probability to a target mean shortest-path length.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace moesim::graphs {

// Up to this many nodes the mean is measured from every source (cheap there); above, from `sources`.
inline constexpr int kAllSourcesUpTo = 64;

// The calibration's version: a run whose p is calibrated (--mean-path) records it in its configuration,
// so that runs calibrated by another algorithm (another p) are other runs. 1: Boost BFS from every source
// of fresh graphs at each p; 2: the coupled sample with sampled sources.
constexpr int kCalibrationVersion = 2;

struct CalibrationOptions {
  // The fixed sample the mean is measured on: `graphs` graphs, BFS from `sources` vertices of each.
  // 0 picks by n: 400 graphs up to 200 nodes, then 80000 / n, at least 64 (a larger graph varies less);
  // every source up to kAllSourcesUpTo nodes, else 16. That is a standard error of about 0.004-0.007 at
  // a mean of 3.5, mostly from graph-to-graph variation (more graphs shrink it faster than more sources).
  int graphs = 0;
  int sources = 0;
  uint64_t seed = 20241021;  // the sample's seed: the same (n, target) always gives the same p
  double p_tolerance = 1e-6;
  // A target at most this far above the largest reachable mean is served by the peak's p (directed
  // G(25, p) peaks at a mean of about 3.48, just short of the paper's 3.5); further above is an error.
  double mean_tolerance = 0.05;
};

struct Calibration {
  double p = 0;              // calibrated edge probability
  double achieved_mean = 0;  // mean shortest-path length at p, over the sample
  double achieved_se = 0;    // its standard error across the sample's graphs (NaN with one graph, one source)
  double peak_mean = 0;      // the largest mean over p, and where it is reached
  double peak_p = 0;
  bool at_peak = false;      // the target lay above the peak (within mean_tolerance): p is the peak's
  int graphs = 0, sources = 0;  // the sample used (CalibrationOptions' zeros resolved)
};

// The sample sizes calibrate_p uses for n nodes (resolves CalibrationOptions' zeros).
int calibration_graphs(int n, const CalibrationOptions& options);
int calibration_sources(int n, const CalibrationOptions& options);

// Thrown when no p reaches the target for this n (the target exceeds the largest mean over p, or is < 1).
class CalibrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Mean shortest-path length over the reachable ordered pairs of `graphs` sampled G(n, p), pooled (total
// length / total pairs), from every source. Graph j is random stream j of `seed` through the instance
// generator (erdos_renyi_edges): an independent check of calibrate_p, which uses a CoupledSample.
double mean_path_length(int n, double p, int graphs, uint64_t seed);

// The p at which the mean path length is `target`, measured on one CoupledSample (coupled_sample.hpp:
// common random numbers for every p, each BFS O(arcs at p)). The mean rises from 1 (tiny p: only single
// arcs are reachable) to a peak near the percolation point p ≈ 1/n and falls back to 1 at p = 1; the
// toolkit takes the dense side (p above the peak), where most pairs are connected. The peak is found on
// a geometric grid that stops once it is past the peak and below the target (the dense tail is what
// costs), refined by golden-section search; the target is then solved for between the grid points that
// bracket it by regula falsi with the Illinois fix.
Calibration calibrate_p(int n, double target = 3.5, const CalibrationOptions& options = {});

}  // namespace moesim::graphs
