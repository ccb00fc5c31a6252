#pragma once
// Checks of numeric command-line options that CLI::Range and CLI11's conversions leave open.
//
// A real-valued command-line option: a finite number in [lo, hi]. CLI::Range alone lets NaN through
// (every comparison with it is false), and a NaN duration or probability hangs or crashes a command.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
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

// An unsigned 64-bit option (a seed): digits only, within range. CLI11 alone takes "" as 0.
inline CLI::Validator unsigned_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || text.size() > 20 || (text.size() == 20 && text > "18446744073709551615"))
          return "'" + text + "' is not an unsigned 64-bit integer (accepted: an integer in [0, 18446744073709551615])";
        return "";
      },
      "", "");
}

// An integer option in [lo, hi], the whole text read (CLI11 saturates a 64-bit overflow to the maximum).
inline CLI::Validator integer_range(int64_t lo, int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        int64_t v = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < lo || v > hi)
          return "'" + text + "' is not an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
        return "";
      },
      "", "");
}

}  // namespace moesim::sims
