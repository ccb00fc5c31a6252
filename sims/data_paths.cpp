#include "data_paths.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "usage_error.hpp"

namespace moesim::sims {
namespace {

namespace fs = std::filesystem;

DataPaths layout(const fs::path& root, std::string found_by) {
  if (fs::is_directory(root / "sims" / "presets"))  // a source tree
    return {root.string(), std::move(found_by), (root / "sims" / "presets").string(),
            (root / "results" / "plot.py").string(), (root / "tests" / "peers").string(),
            (root / "docs" / "examples").string()};
  return {root.string(), std::move(found_by), (root / "presets").string(), (root / "plot.py").string(),
          (root / "peers").string(), (root / "examples").string()};
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

DataPaths find() {
  std::vector<std::pair<fs::path, std::string>> tried;
  if (const char* root = std::getenv("MOESIM_ROOT"); root && *root) {
    const DataPaths d = layout(root, "MOESIM_ROOT");
    if (!fs::is_directory(d.presets))
      throw UsageError("MOESIM_ROOT=" + std::string(root) + " holds no presets (accepted: an installed PREFIX/share/moesim or a moesim source tree)");
    return d;
  }
  tried.push_back({executable_dir() / ".." / "share" / "moesim", "installed beside the binary"});
  tried.push_back({MOESIM_SOURCE_DIR, "the source tree"});
  std::string places;
  for (const auto& [root, how] : tried) {
    const DataPaths d = layout(fs::weakly_canonical(root), how);
    if (fs::is_directory(d.presets)) return d;
    places += (places.empty() ? "" : ", ") + root.lexically_normal().string();
  }
  throw UsageError("cannot find moesim's data folder (tried " + places + "; set MOESIM_ROOT to an installed share/moesim or a source tree)");
}

}  // namespace

const DataPaths& data_paths() {
  static const DataPaths paths = find();
  return paths;
}

std::string python_interpreter() {
  const char* python = std::getenv("MOESIM_PYTHON");
  return python && *python ? python : "/usr/bin/python3";
}

}  // namespace moesim::sims
