#pragma once
// The sweep's progress line on stderr: units (a run, or one seed's search) done of all, runs trained,
// reused from records, running and failed, and the ETA. On a terminal it redraws one line twice a
// second; otherwise it prints a line each time a unit finishes.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace moesim::sims {

class Progress {
 public:
  explicit Progress(long units, bool quiet = false);  // quiet: prints nothing
  ~Progress();  // prints the final line
  void run_started() { ++running_; }
  void run_finished(bool ok) { --running_, ++(ok ? trained_ : failed_); }
  void run_reused() { ++reused_; }
  void unit_finished();
  long trained() const { return trained_; }
  long reused() const { return reused_; }
  long failed() const { return failed_; }

 private:
  void print(bool final);
  long units_;
  std::atomic<long> done_{0}, trained_{0}, reused_{0}, running_{0}, failed_{0};
  std::chrono::steady_clock::time_point start_;
  bool tty_, quiet_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread ticker_;
};

}  // namespace moesim::sims
