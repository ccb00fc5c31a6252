#include "sweep/record_store.hpp"

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "usage_error.hpp"
#include "models/atomic_file.hpp"
#include "sweep/fnv_hash.hpp"

namespace moesim::sims {

namespace fs = std::filesystem;

RecordStore::RecordStore(const fs::path& sweep_dir) : dir_(sweep_dir / "records") {}

fs::path RecordStore::path(const std::string& section, const std::string& id) const {
  return dir_ / section / (id + ".json");
}

std::optional<RunRecord> RecordStore::find(const std::string& section, const std::string& id) const {
  const auto file = path(section, id);
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception&) {
    throw UsageError(file.string() + ": not a valid run record (delete it to rerun that run)");
  }
  RunRecord record = record_from_json(json, file.string());
  if (record.id != id || run_identity(record.config, record.code) != id)
    throw UsageError(file.string() + ": not the record of the run it is named for (delete it to rerun that run)");
  return record;
}

void RecordStore::write(const std::string& section, const RunRecord& record) const {
  const auto file = path(section, record.id);
  fs::create_directories(file.parent_path());
  models::write_file_atomic(file, record_json(record).dump(1) + "\n");
}

int RecordStore::remove_stale_temps() const {
  int removed = 0;
  if (!fs::exists(dir_)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    const auto at = name.find(".tmp.");
    if (!entry.is_regular_file() || at == std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + at + 5, nullptr, 10);
    if (pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM)) continue;  // its writer still runs
    fs::remove(entry.path());
    ++removed;
  }
  return removed;
}

long RecordStore::count(const std::string& section) const {
  long n = 0;
  if (fs::exists(dir_ / section))
    for (const auto& entry : fs::directory_iterator(dir_ / section)) n += entry.path().extension() == ".json";
  return n;
}

}  // namespace moesim::sims
