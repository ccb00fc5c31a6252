#pragma once
// Central finite differences in double against the analytic gradient, for every element of a buffer.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "models/param_table.hpp"

namespace moesim::testing {

// (loss(p + h e_i) - loss(p - h e_i)) / 2h, params[i] restored; `loss` reads `params`.
inline double central_difference(std::vector<double>& params, size_t i, const std::function<double()>& loss, double h) {
  const double keep = params[i];
  params[i] = keep + h;
  const double up = loss();
  params[i] = keep - h;
  const double down = loss();
  params[i] = keep;
  return (up - down) / (2 * h);
}

// Relative error ||a - b|| / max(||a||, ||b||, tiny) per tensor of `table`; `loss` evaluates the loss
// at the current parameters, `params` is the host copy it reads.
inline void check_gradients(const models::ParamTable& table, std::vector<double>& params,
                            const std::vector<double>& analytic, const std::function<double()>& loss,
                            double tolerance = 1e-6, double h = 1e-5) {
  for (const auto& v : table.views()) {
    double diff = 0, na = 0, nn = 0;
    for (size_t i = v.offset; i < v.offset + v.size; ++i) {
      const double numeric = central_difference(params, i, loss, h);
      diff += (numeric - analytic[i]) * (numeric - analytic[i]);
      na += analytic[i] * analytic[i];
      nn += numeric * numeric;
    }
    const double rel = std::sqrt(diff) / std::max({std::sqrt(na), std::sqrt(nn), 1e-12});
    INFO("tensor " << v.name << ": |analytic| = " << std::sqrt(na) << ", |numeric| = " << std::sqrt(nn));
    CHECK(rel <= tolerance);
  }
}

}  // namespace moesim::testing
