#include "number_text.hpp"

#include <charconv>

namespace moesim::sims {

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip
  return std::string(buf, r.ptr);
}

}  // namespace moesim::sims
