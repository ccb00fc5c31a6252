#pragma once
// Bad input from the user: main() prints "moesim: <message>" on one line and exits with status 2.
#include <stdexcept>

namespace moesim::sims {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kUsageExit = 2;

}  // namespace moesim::sims
