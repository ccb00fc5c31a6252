#include "atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace moesim::models {

namespace fs = std::filesystem;

namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
  for (char* c = name; *c; ++c)
    if (*c == '.' || *c == '/') *c = '_';  // the suffix is split at dots
  return name;
}

bool process_gone(long pid) { return pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH; }

}  // namespace

std::string temp_suffix() {
  static const std::string host = host_name();
  return ".tmp." + host + "." + std::to_string(::getpid());
}

bool is_stale_temp(const fs::path& file) {
  const std::string name = file.filename().string();
  const auto at = name.rfind(".tmp.");
  if (at == std::string::npos) return false;
  const std::string rest = name.substr(at + 5);  // HOST.PID or PID
  const auto dot = rest.rfind('.');
  const std::string host = dot == std::string::npos ? "" : rest.substr(0, dot);
  const std::string pid = dot == std::string::npos ? rest : rest.substr(dot + 1);
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  static const std::string here = host_name();
  if (!host.empty() && host != here) return false;  // another machine's writer: not ours to judge
  return process_gone(std::strtol(pid.c_str(), nullptr, 10));
}

int remove_stale_temps(const fs::path& dir, bool recursive) {
  int removed = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  auto visit = [&](const fs::directory_entry& entry) {
    if (entry.is_regular_file(ec) && is_stale_temp(entry.path()) && fs::remove(entry.path(), ec)) ++removed;
  };
  if (recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) visit(entry);
  } else {
    for (const auto& entry : fs::directory_iterator(dir, ec)) visit(entry);
  }
  return removed;
}

void write_file_atomic(const fs::path& path, std::string_view contents) {
  const std::string tmp = path.string() + temp_suffix();
  auto fail = [&](const char* what) {
    const std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot " + std::string(what) + " " + path.string() + ": " + reason);
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create");
  for (size_t done = 0; done < contents.size();) {
    const ssize_t w = ::write(fd, contents.data() + done, contents.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("write");
    }
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("sync");
  }
  if (::close(fd) != 0) fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("rename onto");
}

}  // namespace moesim::models
