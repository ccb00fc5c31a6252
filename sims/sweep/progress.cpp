#include "sweep/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace moesim::sims {

Progress::Progress(long units, bool quiet)
    : units_(units), start_(std::chrono::steady_clock::now()), tty_(::isatty(2)), quiet_(quiet) {
  if (tty_ && !quiet_)
    ticker_ = std::thread([this] {
      std::unique_lock lock(mu_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; })) print(false);
    });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  print(true);
}

void Progress::unit_finished() {
  ++done_;
  if (!tty_) {
    std::lock_guard lock(mu_);
    print(false);
  }
}

void Progress::print(bool final) {
  if (quiet_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const long done = done_;
  char eta[32] = "?";
  if (final) std::snprintf(eta, sizeof eta, "done in %.0fs", elapsed);
  else if (done > 0) std::snprintf(eta, sizeof eta, "ETA %.0fs", elapsed / double(done) * double(units_ - done));
  const int width = 24, filled = units_ ? int(width * done / units_) : width;
  char bar[width + 1];
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
  bar[width] = 0;
  std::fprintf(stderr, "%s[%s] %ld/%ld units  trained %ld  reused %ld  running %ld  failed %ld  %s%s", tty_ ? "\r" : "", bar,
               done, units_, long(trained_), long(reused_), long(running_), long(failed_), eta,
               tty_ && !final ? "   " : "\n");
  std::fflush(stderr);
}

}  // namespace moesim::sims
