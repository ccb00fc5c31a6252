#pragma once
// Output of a command that writes many records (instances, problems): streamed in pieces, so memory stays
// bounded whatever the count. To stdout it streams as it goes; to a file it goes to a temporary beside it
// (models/atomic_file.hpp's naming) that commit() renames over the target, so the file appears whole or
// not at all: an error or a kill before commit() leaves no partial file (the next StreamOut to the same
// target on this host removes a killed writer's temporary).
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace moesim::sims {

class StreamOut {
 public:
  // path "": stdout. Throws std::runtime_error naming the file if the temporary cannot be created.
  explicit StreamOut(const std::filesystem::path& path);
  StreamOut(const StreamOut&) = delete;
  StreamOut& operator=(const StreamOut&) = delete;
  ~StreamOut();  // without commit(): the temporary is removed

  // Throws std::runtime_error on a failed write (a full disk, a closed pipe).
  void write(std::string_view text);
  // Flushes (and for a file syncs and renames it into place).
  void commit();

 private:
  [[noreturn]] void fail(const char* what);
  std::filesystem::path path_, tmp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace moesim::sims
