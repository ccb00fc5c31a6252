#include "calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include "coupled_sample.hpp"
#include "shortest_path.hpp"

namespace moesim::graphs {

double mean_path_length(int n, double p, int graphs, uint64_t seed) {
  std::vector<PathStats> per_graph(graphs);
#pragma omp parallel
  {
    Bfs bfs(n);
#pragma omp for schedule(static)
    for (int j = 0; j < graphs; ++j) {
      Rng rng(seed, static_cast<uint64_t>(j));
      per_graph[j] = path_stats(make_graph(n, erdos_renyi_edges(n, p, rng)), bfs);
    }
  }
  PathStats total;  // summed in graph order: the same bits with any thread count
  for (const auto& s : per_graph) total += s;
  return total.mean();
}

int calibration_graphs(int n, const CalibrationOptions& o) {
  return o.graphs > 0 ? o.graphs : std::clamp(80000 / std::max(n, 1), 64, 400);
}

int calibration_sources(int n, const CalibrationOptions& o) {
  return std::min(n, o.sources > 0 ? o.sources : n <= kAllSourcesUpTo ? n : 16);
}

Calibration calibrate_p(int n, double target, const CalibrationOptions& options) {
  Calibration c;
  c.graphs = calibration_graphs(n, options);
  c.sources = calibration_sources(n, options);
  CoupledSample sample(n, c.graphs, c.sources, options.seed);
  double peak_se = 0;
  auto mean_at = [&](double p) {
    const MeanPathEstimate e = sample.mean_path(p);
    if (e.mean > c.peak_mean) c.peak_mean = e.mean, c.peak_p = p, peak_se = e.se;
    return e;
  };
  // Locate the peak on a geometric grid around 1/n. Past an octave above the peak the mean only falls,
  // and the grid takes half-octave steps until it is below the target, then stops: the dense tail is
  // what costs time (a BFS costs O(arcs)).
  const double step = std::pow(2.0, 0.25);
  std::vector<std::pair<double, MeanPathEstimate>> grid;
  for (double p = 0.25 / n; p < 1.0; p *= p >= 2 * c.peak_p ? step * step : step) {
    grid.emplace_back(p, mean_at(p));
    if (p >= 2 * c.peak_p && target >= 1 && grid.back().second.mean < target) break;
  }
  // Refine the peak between its grid neighbours by golden-section search (one new point per step). Only a
  // target above the grid's peak can end at the peak (or fail), and needs it to p_tolerance; otherwise
  // the peak is only reported, and 1% of p is plenty (the mean is flat there).
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  const double peak_tolerance = target > c.peak_mean ? options.p_tolerance
                                                     : std::max(options.p_tolerance, 1e-2 * c.peak_p);
  double a = c.peak_p / step, b = std::min(1.0, c.peak_p * step);
  double x1 = b - phi * (b - a), x2 = a + phi * (b - a);
  double m1 = mean_at(x1).mean, m2 = mean_at(x2).mean;
  while (b - a > peak_tolerance) {
    if (m1 >= m2) {
      b = x2, x2 = x1, m2 = m1;
      x1 = b - phi * (b - a), m1 = mean_at(x1).mean;
    } else {
      a = x1, x1 = x2, m1 = m2;
      x2 = a + phi * (b - a), m2 = mean_at(x2).mean;
    }
  }
  if (target > c.peak_mean && target <= c.peak_mean + options.mean_tolerance) {
    c.p = c.peak_p;
    c.achieved_mean = c.peak_mean;
    c.achieved_se = peak_se;
    c.at_peak = true;
    return c;
  }
  if (!(target >= 1.0) || target > c.peak_mean) {
    std::ostringstream msg;
    msg.precision(4);
    msg << "mean path length " << target << " cannot be reached with " << n
        << " nodes: reachable means lie in [1, " << c.peak_mean << "] (peak at p=" << c.peak_p << ")";
    throw CalibrationError(msg.str());
  }
  // On the dense side, mean(lo) >= target > mean(hi), from the grid's bracket. The mean is a step
  // function of p (common random numbers) with steps fine enough to be near-linear there, so regula falsi with the Illinois fix converges in a few steps where
  // bisection takes a dozen; a bisection step whenever three steps have not halved the bracket.
  double lo = c.peak_p, hi = 1.0;
  MeanPathEstimate e_lo{c.peak_mean, peak_se}, e_hi{1.0, 0.0};
  for (const auto& [p, e] : grid) {
    if (p <= c.peak_p) continue;
    if (e.mean < target) {
      hi = p, e_hi = e;
      break;
    }
    lo = p, e_lo = e;
  }
  double f_lo = e_lo.mean - target, f_hi = e_hi.mean - target;  // >= 0, < 0
  int side = 0;
  for (double width = hi - lo, steps = 1; hi - lo > options.p_tolerance; ++steps) {
    const bool bisect = steps == 4 && hi - lo > 0.5 * width;
    if (steps == 4) steps = 1, width = hi - lo;
    double x = lo + (hi - lo) * f_lo / (f_lo - f_hi);
    if (bisect || !(x > lo && x < hi)) x = 0.5 * (lo + hi);
    // At least half a tolerance from either end: once the root is that close, one step ends the search.
    x = std::clamp(x, lo + 0.5 * options.p_tolerance, hi - 0.5 * options.p_tolerance);
    const MeanPathEstimate e = sample.mean_path(x);
    if (e.mean >= target) {
      lo = x, e_lo = e, f_lo = e.mean - target;
      if (side == +1) f_hi *= 0.5;  // Illinois: the same end moved twice, halve the other's weight
      side = +1;
    } else {
      hi = x, e_hi = e, f_hi = e.mean - target;
      if (side == -1) f_lo *= 0.5;
      side = -1;
    }
  }
  const bool take_lo = std::abs(e_lo.mean - target) <= std::abs(e_hi.mean - target);
  c.p = take_lo ? lo : hi;
  c.achieved_mean = take_lo ? e_lo.mean : e_hi.mean;
  c.achieved_se = take_lo ? e_lo.se : e_hi.se;
  return c;
}

}  // namespace moesim::graphs
