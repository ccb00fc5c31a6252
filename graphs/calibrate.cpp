#include "calibrate.hpp"

#include <cmath>
#include <sstream>
#include <vector>

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

Calibration calibrate_p(int n, double target, const CalibrationOptions& options) {
  auto mean_at = [&](double p) { return mean_path_length(n, p, options.graphs, options.seed); };
  Calibration c;
  // Locate the peak on a geometric grid around 1/n, then refine it between the grid neighbours.
  const double step = std::pow(2.0, 0.25);
  for (double p = 0.25 / n; p < 1.0; p *= step) {
    const double m = mean_at(p);
    if (m > c.peak_mean) c.peak_mean = m, c.peak_p = p;
  }
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  for (double a = c.peak_p / step, b = std::min(1.0, c.peak_p * step); b - a > options.p_tolerance;) {
    const double x1 = b - phi * (b - a), x2 = a + phi * (b - a);
    const double m1 = mean_at(x1), m2 = mean_at(x2);
    if (m1 > c.peak_mean) c.peak_mean = m1, c.peak_p = x1;
    if (m2 > c.peak_mean) c.peak_mean = m2, c.peak_p = x2;
    (m1 >= m2 ? b : a) = m1 >= m2 ? x2 : x1;
  }
  if (target > c.peak_mean && target <= c.peak_mean + options.mean_tolerance) {
    c.p = c.peak_p;
    c.achieved_mean = c.peak_mean;
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
  // Bisect on the dense side: mean(lo) >= target >= mean(hi).
  double lo = c.peak_p, hi = 1.0, m_lo = c.peak_mean, m_hi = 1.0;
  while (hi - lo > options.p_tolerance) {
    const double mid = 0.5 * (lo + hi);
    const double m = mean_at(mid);
    (m >= target ? lo : hi) = mid;
    (m >= target ? m_lo : m_hi) = m;
  }
  const bool take_lo = std::abs(m_lo - target) <= std::abs(m_hi - target);
  c.p = take_lo ? lo : hi;
  c.achieved_mean = take_lo ? m_lo : m_hi;
  return c;
}

}  // namespace moesim::graphs
