#pragma once
// A claim on a run, so that sweeps started at once on one --out (several shells, several nodes on a
// shared file system, a Slurm array) train each run once. The claim is an flock(2) on
// records/SECTION/ID.claim held while the run trains: the kernel releases it when its process dies,
// however it dies, so a dead sweep's claims are taken over without any bookkeeping. On NFS, Linux passes
// flock to the server's lock manager; a file system without locks makes claims no-ops (said once on
// stderr), and then concurrent sweeps may train a run twice, still writing correct records.
#include <filesystem>
#include <optional>

namespace moesim::sims {

class RunClaim {
 public:
  // The claim on `file`: taken at once, or, when another process holds it, nullopt (wait = false) or
  // taken once that process lets go (wait = true). Throws std::runtime_error naming the file if it
  // cannot be created.
  static std::optional<RunClaim> take(const std::filesystem::path& file, bool wait);

  RunClaim(RunClaim&& other) noexcept;
  RunClaim& operator=(RunClaim&&) = delete;
  ~RunClaim();  // lets go; the file stays (another process may hold it open, waiting)

  // The run's record is written: removes the claim file, then lets go. A process waiting on the removed
  // file takes a claim nobody else can see, finds the record, and does not train; it calls finish() too,
  // as does any claim that finds the record, since the path may by then hold a file that a later process
  // created. Removing whatever file the path holds is safe once the record exists: no claim on it can lead
  // to training any more. A run that fails leaves its file (the next sweep reuses it).
  void finish();

 private:
  RunClaim(std::filesystem::path file, int fd) : file_(std::move(file)), fd_(fd) {}
  std::filesystem::path file_;
  int fd_ = -1;
};

}  // namespace moesim::sims
