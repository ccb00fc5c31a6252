#pragma once
// The records of a sweep: one JSON file per run, DIR/records/SECTION/ID.json, written atomically
// (a temporary file, then a rename), so a sweep killed at any moment leaves whole records or none. The
// ID is a hash of the run's options (seed included), so a rerun finds what finished and skips it.
#include <filesystem>
#include <optional>

#include "run_options.hpp"
#include "run_record.hpp"

namespace moesim::sims {

class RecordStore {
 public:
  explicit RecordStore(const std::filesystem::path& sweep_dir);

  // FNV-1a 64 of "name=value\n" over the options in name order, as 16 hex digits.
  static std::string run_id(const Options& options);
  std::filesystem::path path(const std::string& section, const Options& options) const;

  // The finished run's record, if any. A file that is not a record of these options (or of another
  // schema) throws UsageError naming it (delete it to rerun that run).
  std::optional<RunRecord> find(const std::string& section, const Options& options) const;
  void write(const std::string& section, const Options& options, const RunRecord& record) const;

  // Removes temporary files left by killed writers (those whose process is gone); returns how many.
  int remove_stale_temps() const;
  // Records on disk under `section`.
  long count(const std::string& section) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace moesim::sims
