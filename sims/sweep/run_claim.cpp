#include "sweep/run_claim.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace moesim::sims {

std::optional<RunClaim> RunClaim::take(const std::filesystem::path& file, bool wait) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
  while (::flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      ::close(fd);
      return std::nullopt;
    }
    static std::atomic<bool> said{false};  // ENOLCK, EOPNOTSUPP: a file system without locks
    if (!said.exchange(true))
      std::fprintf(stderr, "moesim: sweep: %s cannot be locked (%s): runs are not claimed, and sweeps "
                   "sharing this --out may train a run twice\n", file.c_str(), std::strerror(errno));
    break;
  }
  return RunClaim(file, fd);
}

RunClaim::RunClaim(RunClaim&& other) noexcept : file_(std::move(other.file_)), fd_(other.fd_) { other.fd_ = -1; }

RunClaim::~RunClaim() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

void RunClaim::finish() {
  if (fd_ < 0) return;
  ::unlink(file_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace moesim::sims
