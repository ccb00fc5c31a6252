#pragma once
// Runs a preset: every (point, seed) of every section once, as `jobs` runs side by side, each with
// `threads_per_job` OpenMP threads. A plain section trains one run per (point, seed); a section with a
// search runs the search per seed (cf. sweep/search.hpp). Finished runs are read back from the records
// instead of being trained again.
#include <filesystem>
#include <string>
#include <vector>

#include "run_record.hpp"
#include "sweep/preset.hpp"
#include "sweep/search.hpp"

namespace moesim::sims {

struct SweepOptions {
  std::filesystem::path out;
  int jobs = 1;
  int threads_per_job = 1;
  std::string device = "cpu";
  std::string only;  // one section, or "" for all
  double verify = 0;  // the share of reused records retrained and compared bit for bit (sweep --verify)
  int shard = 0, shards = 1;  // --shard I/N: only the units with unit_shard(...) == I
  bool train = true;          // false (--aggregate): records only; a unit lacking one is missing
  bool quiet = false;         // no progress line
};

// What one seed of one point gave: the run (plain) or the search and the run at its value.
struct SeedResult {
  uint64_t seed = 0;
  bool failed = false;              // a run could not train (its error went to stderr)
  std::optional<RunRecord> record;  // the run's record (the run at the search's value), if any
  std::optional<SearchOutcome> search;
  std::vector<RunRecord> probes;    // a search: the record of every value it tried, in the order tried
};

struct PointResult {
  Point point;
  std::vector<SeedResult> seeds;
};

struct SectionResult {
  const Section* section = nullptr;
  std::vector<PointResult> points;
};

struct SweepStats {
  long trained = 0, reused = 0, failed = 0;
  long verified = 0;                          // reused records retrained by --verify
  std::vector<std::string> missing;           // train = false: "[SECTION] OPTIONS seed S" of units lacking records
  std::vector<std::string> differing;         // of those, "SECTION/ID" of each whose bits differ
  // the records the sweep used, by the commit that made them, counted per use, not per record: the total
  // can exceed the runs trained plus reused (a fresh quick preset: 516 uses of 502 records)
  std::map<std::string, long> records_by_commit;
  double wall_seconds = 0;
};

// The shard of N (0..N-1) a unit belongs to: a hash of its section, options and seed, not its place in
// the preset, so adding an axis value leaves every finished unit in its shard.
int unit_shard(const Section& section, const Point& point, uint64_t seed, int shards);

// Whether --verify F retrains the reused record `id`: a fixed pseudo-random share F of the identities.
bool verify_selects(const std::string& id, double fraction);

std::vector<SectionResult> run_sweep(const Preset& preset, const SweepOptions& options, SweepStats& stats);

}  // namespace moesim::sims
