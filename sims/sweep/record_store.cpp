#include "sweep/record_store.hpp"

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

namespace {

// The record in `file`, checked to be run `id`'s; nullopt when there is no such file. `text_out`, if given,
// receives the file's bytes.
std::optional<RunRecord> read_record(const fs::path& file, const std::string& id, std::string* text_out = nullptr) {
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
  if (text_out) *text_out = text.str();
  if (record.id != id || run_identity(record.config, record.code) != id)
    throw UsageError(file.string() + ": not the record of the run it is named for (delete it to rerun that run)");
  return record;
}

}  // namespace

std::optional<RunRecord> RecordStore::find(const std::string& section, const std::string& id) const {
  if (auto own = read_record(path(section, id), id)) return own;
  std::error_code ec;  // no records/ yet: nothing to find
  for (const auto& other : fs::directory_iterator(dir_, ec)) {
    if (!other.is_directory() || other.path().filename() == section) continue;
    std::string bytes;
    if (auto found = read_record(other.path() / (id + ".json"), id, &bytes)) {
      // Byte for byte: the copy still names the section that trained it.
      fs::create_directories(dir_ / section);
      models::write_file_atomic(path(section, id), bytes);
      return found;
    }
  }
  return std::nullopt;
}

void RecordStore::write(const std::string& section, const RunRecord& record) const {
  const auto file = path(section, record.id);
  fs::create_directories(file.parent_path());
  models::write_file_atomic(file, record_json(record).dump(1) + "\n");
}

std::optional<RunClaim> RecordStore::claim(const std::string& section, const std::string& id, bool wait) const {
  fs::create_directories(dir_ / section);
  return RunClaim::take(dir_ / section / (id + ".claim"), wait);
}

void RecordStore::check_writable() const {
  try {
    fs::create_directories(dir_);
    const auto probe = dir_ / ".write-probe";
    models::write_file_atomic(probe, "moesim\n");
    std::error_code ignored;  // a sweep beside this one may have renamed its own probe over it and removed it
    fs::remove(probe, ignored);
  } catch (const std::exception& e) {
    throw UsageError("--out: " + dir_.parent_path().string() + " cannot take the sweep's records (" + e.what() +
                     "); accepted: a folder this user can write, on a disk with room");
  }
}

int RecordStore::remove_stale_temps() const {
  return models::remove_stale_temps(dir_, true) + models::remove_stale_temps(dir_.parent_path(), false);
}

long RecordStore::count(const std::string& section) const {
  long n = 0;
  if (fs::exists(dir_ / section))
    for (const auto& entry : fs::directory_iterator(dir_ / section)) n += entry.path().extension() == ".json";
  return n;
}

}  // namespace moesim::sims
