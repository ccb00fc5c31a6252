#include "sweep/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
#include <set>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include "graphs/rng.hpp"
#include "run_training.hpp"
#include "sweep/progress.hpp"
#include "sweep/fnv_hash.hpp"
#include "sweep/record_store.hpp"

namespace moesim::sims {
namespace {

// One unit of work: a seed of a point (its one run, or its search).
struct Unit {
  const Section* section;
  size_t point;
  size_t seed;
};

// A run of the unit is claimed by another sweep on the same --out: the unit goes back to the queue and
// is taken up again once the other units are done (by then, with waiting claims).
struct RunClaimedElsewhere {};

// A run without a record in a sweep that trains nothing (--aggregate): its unit is missing.
struct RunMissing {};

// What a unit reports once it is done: reuses and commits of an attempt that met a claimed run are
// counted again when the unit is taken up again, so they are tallied per attempt.
struct UnitTally {
  long reused = 0;
  std::map<std::string, long> by_commit;
};

class Runner {
 public:
  Runner(const SweepOptions& o, Progress& progress, SweepStats& stats)
      : o_(o), store_(o.out), progress_(progress), stats_(stats) {}

  // The record of the run with these options: read back, or trained now and written. None when the run
  // fails. A run another sweep is training throws RunClaimedElsewhere (wait = false) or is waited for;
  // a record that cannot be written stops the sweep (the exception leaves the unit).
  std::optional<RunRecord> run(const Section& s, const Options& options, UnitTally& tally, bool wait) {
    RunOptions ro;
    std::string id;
    try {
      ro = parse_run_options(options);
      ro.threads = o_.threads_per_job;
      ro.device = o_.device;
      id = run_identity(run_config_json(ro), code_version(ro.task, ro.model, ro.device));
    } catch (const std::exception& e) {
      progress_.run_started();
      progress_.run_finished(false);
      return failed(s, "?", e);
    }
    if (auto found = store_.find(s.name, id)) return reused(s, ro, options, *found, tally);
    if (!o_.train) throw RunMissing{};
    auto claim = store_.claim(s.name, id, wait);
    if (!claim) throw RunClaimedElsewhere{};
    if (auto found = store_.find(s.name, id)) {  // finished meanwhile: this claim file may be one we created
      claim->finish();                            // after the trainer removed its own, so remove it too
      return reused(s, ro, options, *found, tally);
    }
    progress_.run_started();
    RunRecord record;
    try {
      record = train(s, ro, options, id);
    } catch (const std::exception& e) {
      progress_.run_finished(false);
      return failed(s, id, e);
    }
    try {
      store_.write(s.name, record);
    } catch (...) {
      progress_.run_finished(false);
      throw;
    }
    claim->finish();
    progress_.run_finished(true);
    {
      std::lock_guard lock(mu_);
      trained_here_.insert(s.name + "/" + id);
    }
    ++tally.by_commit[record.provenance.commit];
    return record;
  }

  // One seed of a point: its run, or its search. `wait`: see run().
  SeedResult unit(const Section& s, const Point& p, uint64_t seed, bool wait) {
    UnitTally tally;
    SeedResult r = unit_runs(s, p, seed, tally, wait);  // RunClaimedElsewhere leaves before the tally counts
    std::lock_guard lock(mu_);
    for (long i = 0; i < tally.reused; ++i) progress_.run_reused();
    for (const auto& [commit, n] : tally.by_commit) stats_.records_by_commit[commit] += n;
    return r;
  }

 private:
  SeedResult unit_runs(const Section& s, const Point& p, uint64_t seed, UnitTally& tally, bool wait) {
    SeedResult r{.seed = seed};
    Options options = p.options;
    options["seed"] = std::to_string(seed);
    if (!s.search) {
      r.record = run(s, options, tally, wait);
      r.failed = !r.record;
      return r;
    }
    const Search& search = *s.search;
    if (!options.count("target")) options["target"] = number_text(search.target);  // stop once it passes
    std::map<long, RunRecord> records;
    r.search = run_search(search, [&](long v) -> std::optional<bool> {
      Options at = options;
      at[search.key] = std::to_string(v);
      auto record = run(s, at, tally, wait);
      if (!record) return std::nullopt;
      const bool passed = record->passed(search.target);
      records.emplace(v, std::move(*record));
      return passed;
    });
    r.failed = r.search->failed;
    if (r.search->value) r.record = records.at(*r.search->value);
    for (const auto& [value, passed] : r.search->probes) r.probes.push_back(records.at(value));
    return r;
  }

  // A record found on disk: counted as reused unless this sweep trained it (in an earlier attempt of
  // its unit), and retrained by --verify where selected.
  std::optional<RunRecord> reused(const Section& s, const RunOptions& ro, const Options& options,
                                  const RunRecord& found, UnitTally& tally) {
    bool here, verify_it;
    {
      std::lock_guard lock(mu_);
      here = trained_here_.count(s.name + "/" + found.id) > 0;
      // once per record, also when its unit is taken up again after a deferral
      verify_it = !here && verify_selects(found.id, o_.verify) && verified_here_.insert(s.name + "/" + found.id).second;
    }
    ++tally.by_commit[found.provenance.commit];
    if (here) return found;
    ++tally.reused;
    if (verify_it) verify(s, ro, options, found);
    return found;
  }

  RunRecord train(const Section& s, const RunOptions& ro, const Options& options, const std::string& id) {
    RunRecord record = run_training(ro, options, {});
    record.section = s.name, record.kind = s.kind, record.id = id;
    return record;
  }

  // --verify: the run again, compared bit for bit with what the record says it computed.
  void verify(const Section& s, const RunOptions& ro, const Options& options, const RunRecord& stored) {
    const RunRecord again = train(s, ro, options, stored.id);
    std::lock_guard lock(mu_);
    ++stats_.verified;
    if (computed_json(again) != computed_json(stored)) stats_.differing.push_back(s.name + "/" + stored.id);
  }

  std::nullopt_t failed(const Section& s, const std::string& id, const std::exception& e) {
    std::fprintf(stderr, "\nmoesim: sweep: run %s of [%s] failed: %s\n", id.c_str(), s.name.c_str(), e.what());
    return std::nullopt;
  }

  const SweepOptions& o_;
  RecordStore store_;
  Progress& progress_;
  SweepStats& stats_;
  std::mutex mu_;
  std::set<std::string> trained_here_;   // "SECTION/ID" of the runs this sweep trained
  std::set<std::string> verified_here_;  // "SECTION/ID" of the records --verify retrained
};

}  // namespace

int unit_shard(const Section& section, const Point& point, uint64_t seed, int shards) {
  std::string key = section.name + "\n";
  for (const auto& [name, value] : point.options) key += name + "=" + value + "\n";
  key += "seed=" + std::to_string(seed);
  uint64_t h = fnv1a(key);
  return int(graphs::Rng::splitmix64(h) % uint64_t(std::max(1, shards)));  // FNV's low bits mix poorly
}

bool verify_selects(const std::string& id, double fraction) {
  if (fraction <= 0) return false;
  if (fraction >= 1) return true;
  uint64_t h = fnv1a("verify " + id);
  h = graphs::Rng::splitmix64(h);  // FNV's high bits follow its last bytes too closely for a uniform draw
  return double(h >> 11) * 0x1.0p-53 < fraction;
}

std::vector<SectionResult> run_sweep(const Preset& preset, const SweepOptions& o, SweepStats& stats) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<SectionResult> results;
  std::vector<Unit> units;
  for (const auto& s : preset.sections) {
    if (!o.only.empty() && s.name != o.only) continue;
    SectionResult sr{&s, {}};
    for (const auto& p : s.points()) sr.points.push_back({p, std::vector<SeedResult>(s.seeds.size())});
    results.push_back(std::move(sr));
  }
  for (auto& sr : results)
    for (size_t p = 0; p < sr.points.size(); ++p)
      for (size_t k = 0; k < sr.section->seeds.size(); ++k)
        if (o.shards <= 1 || unit_shard(*sr.section, sr.points[p].point, sr.section->seeds[k], o.shards) == o.shard)
          units.push_back({sr.section, p, k});
  std::map<const Section*, SectionResult*> by_section;
  for (auto& sr : results) by_section[sr.section] = &sr;

  if (o.train) {  // --aggregate writes no record (its CSVs and manifest are written atomically, later)
    RecordStore(o.out).check_writable();
    RecordStore(o.out).remove_stale_temps();
  }
  {
    Progress progress(long(units.size()), o.quiet);
    Runner runner(o, progress, stats);
    // Units in order; those whose run another sweep holds go to `deferred` and are taken up again after
    // the others, waiting for the claims then.
    std::mutex queue_mu;
    size_t next = 0;
    std::vector<size_t> deferred;
    auto take = [&]() -> std::optional<std::pair<size_t, bool>> {
      std::lock_guard lock(queue_mu);
      if (next < units.size()) return std::pair{next++, false};
      if (next > units.size() || deferred.empty()) return std::nullopt;  // > : stopped by an error
      const size_t i = deferred.front();
      deferred.erase(deferred.begin());
      return std::pair{i, true};
    };
    std::exception_ptr error;  // bad input met mid-sweep (a corrupt record), a write that failed: stop
    auto worker = [&] {
      while (const auto job = take()) {
        const auto [i, wait] = *job;
        const Unit& u = units[i];
        auto& point = by_section[u.section]->points[u.point];
        try {
          point.seeds[u.seed] = runner.unit(*u.section, point.point, u.section->seeds[u.seed], wait);
        } catch (const RunClaimedElsewhere&) {
          std::lock_guard lock(queue_mu);
          deferred.push_back(i);
          continue;
        } catch (const RunMissing&) {
          std::string what = "[" + u.section->name + "]" + (point.point.label.empty() ? "" : " " + point.point.label);
          for (const auto& [name, value] : point.point.axes) what += " " + name + "=" + value;
          what += " seed " + std::to_string(u.section->seeds[u.seed]);
          std::lock_guard lock(queue_mu);
          stats.missing.push_back(what);
        } catch (...) {
          std::lock_guard lock(queue_mu);
          if (!error) error = std::current_exception();
          next = units.size() + 1;
          return;
        }
        progress.unit_finished();
      }
    };
    std::vector<std::thread> pool;
    for (int j = 0; j < std::max(1, o.jobs); ++j) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    stats.trained = progress.trained(), stats.reused = progress.reused(), stats.failed = progress.failed();
    std::sort(stats.differing.begin(), stats.differing.end());
    std::sort(stats.missing.begin(), stats.missing.end());
  }
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace moesim::sims
