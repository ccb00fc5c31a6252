#pragma once
// The records of a sweep: one JSON file per run, DIR/records/SECTION/ID.json, written atomically
// (a temporary file, then a rename), so a sweep killed at any moment leaves whole records or none. The
// ID is the run's identity (run_record.hpp: its resolved configuration and code versions), so a rerun
// finds what finished and skips it, and a change of a default or of the code makes new runs.
#include <filesystem>
#include <optional>

#include "run_options.hpp"
#include "run_record.hpp"
#include "sweep/run_claim.hpp"

namespace moesim::sims {

class RecordStore {
 public:
  explicit RecordStore(const std::filesystem::path& sweep_dir);

  std::filesystem::path path(const std::string& section, const std::string& id) const;

  // The finished run of identity `id`, if any: from `section`'s folder, else from another section's (a run
  // two figures share trains once), then copied, byte for byte, into `section`'s, so that each folder holds
  // every run of its figure. A file that is not a record of that run (torn, of another schema, or whose
  // contents give another identity) throws UsageError naming it (delete it to rerun).
  std::optional<RunRecord> find(const std::string& section, const std::string& id) const;
  // Writes at record.id; a failed write (read-only folder, full disk) throws std::runtime_error.
  void write(const std::string& section, const RunRecord& record) const;

  // The claim on run `id` (sweep/run_claim.hpp): nullopt while another process trains it (wait = false).
  std::optional<RunClaim> claim(const std::string& section, const std::string& id, bool wait) const;

  // Writes and removes a probe file under records/: a folder that cannot take a record throws UsageError
  // naming it, before anything is trained.
  void check_writable() const;

  // Removes the temporary files left by killed writers of this host (their process is gone), under
  // records/ and beside the CSVs and the manifest; returns how many.
  int remove_stale_temps() const;
  // Records on disk under `section`.
  long count(const std::string& section) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace moesim::sims
