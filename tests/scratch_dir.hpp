#pragma once
// Scratch folders for tests. ctest runs every test case as its own process, often beside another ctest on
// the same machine (CI's two builds, a developer's run): a folder with a fixed name is removed under a
// neighbour's feet. Each folder here carries the process's id, and is removed when the process ends (a
// test that crashes keeps its folder; MOESIM_KEEP_TEST_DIRS=1 keeps every folder, to look at a failure).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace moesim::testing {

// A fresh, empty folder `NAME-PID` under the system's temporary folder.
inline std::filesystem::path fresh_dir(const std::string& name) {
  struct Made {
    std::vector<std::filesystem::path> dirs;
    ~Made() {
      if (std::getenv("MOESIM_KEEP_TEST_DIRS")) return;
      std::error_code ignored;  // a child process may still hold a file; leaving it is harmless
      for (const auto& d : dirs) std::filesystem::remove_all(d, ignored);
    }
  };
  static Made made;
  const auto dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  made.dirs.push_back(dir);
  return dir;
}

}  // namespace moesim::testing
