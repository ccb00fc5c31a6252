#pragma once
// Scaling exponents: the least-squares line through (log x, log y), its slope the exponent of y ~ x^slope.
#include <cmath>
#include <vector>

namespace moesim::sims {

struct LineFit {
  double slope = NAN, intercept = NAN;  // log y = intercept + slope log x
  int points = 0;                       // the points fitted
};

// Over the points with finite, positive x and y; NaN slope unless two distinct x remain.
LineFit fit_loglog(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace moesim::sims
