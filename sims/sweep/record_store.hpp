#pragma once
// The records of a sweep: one JSON file per run, DIR/records/SECTION/ID.json, written atomically
// (a temporary file, then a rename), so a sweep killed at any moment leaves whole records or none. The
// ID is the run's identity (run_record.hpp: its resolved configuration and code versions), so a rerun
// finds what finished and skips it, and a change of a default or of the code makes new runs.
#include <filesystem>
#include <optional>

#include "run_options.hpp"
#include "run_record.hpp"

namespace moesim::sims {

class RecordStore {
 public:
  explicit RecordStore(const std::filesystem::path& sweep_dir);

  std::filesystem::path path(const std::string& section, const std::string& id) const;

  // The finished run of identity `id`, if any. A file that is not a record of that run (torn, of another
  // schema, or whose contents give another identity) throws UsageError naming it (delete it to rerun).
  std::optional<RunRecord> find(const std::string& section, const std::string& id) const;
  void write(const std::string& section, const RunRecord& record) const;  // at record.id

  // Removes temporary files left by killed writers (those whose process is gone); returns how many.
  int remove_stale_temps() const;
  // Records on disk under `section`.
  long count(const std::string& section) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace moesim::sims
