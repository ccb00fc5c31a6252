// Scaling exponents: the least-squares fit recovers a known exponent from noisy synthetic points, and its
// bootstrap interval over seeds covers it.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "graphs/rng.hpp"
#include "sweep/bootstrap.hpp"
#include "sweep/loglog_fit.hpp"

using namespace moesim::sims;

TEST_CASE("loglog_fit: exact points give their exponent, fewer than two sizes give none", "[sims][loglog_fit]") {
  const std::vector<double> x{8, 16, 32, 64};
  std::vector<double> y;
  for (double v : x) y.push_back(3 * std::pow(v, 0.75));
  const LineFit f = fit_loglog(x, y);
  REQUIRE(f.points == 4);
  REQUIRE(f.slope == Approx(0.75).epsilon(1e-12));
  REQUIRE(std::exp(f.intercept) == Approx(3).epsilon(1e-12));
  const std::vector<double> censored{3, INFINITY, NAN, -1};  // only the first point is usable
  REQUIRE(std::isnan(fit_loglog(x, censored).slope));
  REQUIRE(fit_loglog(x, censored).points == 1);
}

TEST_CASE("loglog_fit: the bootstrap interval over seeds covers a known exponent under known noise",
          "[sims][loglog_fit]") {
  // Five seeds at nine sizes: y = 2 x^0.8 exp(0.15 e), e uniform in [-1, 1]; each size's value is the
  // median over the seeds (as the sweep's majority value is).
  const std::vector<double> x{8, 12, 16, 24, 32, 48, 64, 96, 128};
  const int seeds = 5;
  std::vector<std::vector<double>> y(x.size());
  moesim::graphs::Rng rng(12);
  for (size_t i = 0; i < x.size(); ++i)
    for (int s = 0; s < seeds; ++s) y[i].push_back(2 * std::pow(x[i], 0.8) * std::exp(0.15 * (2 * rng.uniform() - 1)));
  auto fit_of = [&](const std::vector<int>& picks) {
    std::vector<double> medians;
    for (const auto& v : y) {
      std::vector<double> chosen;
      for (int p : picks) chosen.push_back(v[p]);
      std::sort(chosen.begin(), chosen.end());
      medians.push_back(chosen[chosen.size() / 2]);
    }
    return fit_loglog(x, medians).slope;
  };
  std::vector<int> all{0, 1, 2, 3, 4};
  const double slope = fit_of(all);
  const Interval ci = bootstrap(seeds, fit_of);
  INFO("slope " << slope << " CI [" << ci.low << ", " << ci.high << "]");
  REQUIRE(std::abs(slope - 0.8) < 0.05);
  REQUIRE(ci.low <= 0.8);
  REQUIRE(ci.high >= 0.8);
  REQUIRE(ci.high - ci.low < 0.2);  // and it is narrow enough to tell 0.8 from 1
}
