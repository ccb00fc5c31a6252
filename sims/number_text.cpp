#include "number_text.hpp"

#include <charconv>
#include <cmath>

namespace moesim::sims {

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip
  return std::string(buf, r.ptr);
}

std::string cell_text(double v) { return std::isfinite(v) ? number_text(v) : std::string(); }

}  // namespace moesim::sims
