#include "stream_out.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "models/atomic_file.hpp"

namespace moesim::sims {

StreamOut::StreamOut(const std::filesystem::path& path) : path_(path) {
  if (path.empty()) {
    file_ = stdout;
    return;
  }
  // Temporaries of this target left by killed writers of this host go first.
  std::error_code ec;
  const std::string prefix = path.filename().string() + ".tmp.";
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path().empty() ? "." : path.parent_path(), ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0 && models::is_stale_temp(entry.path()))
      std::filesystem::remove(entry.path(), ec);
  tmp_ = path.string() + models::temp_suffix();
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot create " + path.string() + ": " + std::strerror(errno));
}

StreamOut::~StreamOut() {
  if (tmp_.empty() || committed_) return;
  if (file_) std::fclose(file_);
  ::unlink(tmp_.c_str());
}

void StreamOut::fail(const char* what) {
  const std::string reason = std::strerror(errno);
  throw std::runtime_error(std::string("cannot ") + what + " " + (path_.empty() ? "stdout" : path_.string()) + ": " + reason);
}

void StreamOut::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("write");
}

void StreamOut::commit() {
  if (std::fflush(file_) != 0) fail("write");
  if (tmp_.empty()) return;
  if (::fsync(::fileno(file_)) != 0) fail("sync");
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) fail("close");
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail("rename onto");
  committed_ = true;
}

}  // namespace moesim::sims
