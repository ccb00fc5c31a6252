#include "sweep/loglog_fit.hpp"

namespace moesim::sims {

LineFit fit_loglog(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i]) && x[i] > 0 && y[i] > 0)
      lx.push_back(std::log(x[i])), ly.push_back(std::log(y[i]));
  LineFit f;
  f.points = int(lx.size());
  if (lx.size() < 2) return f;
  double mx = 0, my = 0;
  for (size_t i = 0; i < lx.size(); ++i) mx += lx[i], my += ly[i];
  mx /= double(lx.size()), my /= double(ly.size());
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < lx.size(); ++i) sxx += (lx[i] - mx) * (lx[i] - mx), sxy += (lx[i] - mx) * (ly[i] - my);
  if (sxx <= 0) return f;
  f.slope = sxy / sxx;
  f.intercept = my - f.slope * mx;
  return f;
}

}  // namespace moesim::sims
