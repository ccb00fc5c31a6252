#pragma once
// A real-valued command-line option: a finite number in [lo, hi]. CLI::Range alone lets NaN through
// (every comparison with it is false), and a NaN duration or probability hangs or crashes a command.
#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

#include "number_text.hpp"

namespace moesim::sims {

inline CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        size_t used = 0;
        double v = 0;
        try {
          v = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size()) return "'" + text + "' is not a number";
        if (!std::isfinite(v)) return "'" + text + "' is not finite";
        if (v < lo || v > hi) return "'" + text + "' is out of range (accepted: " + number_text(lo) + " to " + number_text(hi) + ")";
        return "";
      },
      "", "");
}

}  // namespace moesim::sims
