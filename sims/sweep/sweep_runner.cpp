#include "sweep/sweep_runner.hpp"

#include <algorithm>
#include <atomic>
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

class Runner {
 public:
  Runner(const SweepOptions& o, Progress& progress, SweepStats& stats)
      : o_(o), store_(o.out), progress_(progress), stats_(stats) {}

  // The record of the run with these options: read back, or trained now and written. None on failure.
  std::optional<RunRecord> run(const Section& s, const Options& options) {
    RunOptions ro;
    std::string id;
    try {
      ro = parse_run_options(options);
      ro.threads = o_.threads_per_job;
      ro.device = o_.device;
      id = run_identity(run_config_json(ro), code_version(ro.task, ro.model));
    } catch (const std::exception& e) {
      progress_.run_started();
      progress_.run_finished(false);
      return failed(s, "?", e);
    }
    if (auto found = store_.find(s.name, id)) {
      progress_.run_reused();
      if (verify_selects(id, o_.verify)) verify(s, ro, options, *found);
      count_commit(*found);
      return found;
    }
    progress_.run_started();
    try {
      RunRecord record = train(s, ro, options, id);
      store_.write(s.name, record);
      progress_.run_finished(true);
      count_commit(record);
      return record;
    } catch (const std::exception& e) {
      progress_.run_finished(false);
      return failed(s, id, e);
    }
  }

  SeedResult unit(const Section& s, const Point& p, uint64_t seed) {
    SeedResult r{.seed = seed};
    Options options = p.options;
    options["seed"] = std::to_string(seed);
    if (!s.search) {
      r.record = run(s, options);
      r.failed = !r.record;
      return r;
    }
    const Search& search = *s.search;
    if (!options.count("target")) options["target"] = number_text(search.target);  // stop once it passes
    std::map<long, RunRecord> records;
    r.search = run_search(search, [&](long v) -> std::optional<bool> {
      Options at = options;
      at[search.key] = std::to_string(v);
      auto record = run(s, at);
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

 private:
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

  void count_commit(const RunRecord& r) {
    std::lock_guard lock(mu_);
    ++stats_.records_by_commit[r.provenance.commit];
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
};

}  // namespace

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
      for (size_t k = 0; k < sr.section->seeds.size(); ++k) units.push_back({sr.section, p, k});
  std::map<const Section*, SectionResult*> by_section;
  for (auto& sr : results) by_section[sr.section] = &sr;

  RecordStore(o.out).remove_stale_temps();
  {
    Progress progress(long(units.size()));
    Runner runner(o, progress, stats);
    std::atomic<size_t> next{0};
    std::exception_ptr error;  // bad input met mid-sweep (a corrupt record): stop, then report it
    std::mutex error_mu;
    auto worker = [&] {
      for (size_t i; (i = next++) < units.size();) {
        const Unit& u = units[i];
        auto& point = by_section[u.section]->points[u.point];
        try {
          point.seeds[u.seed] = runner.unit(*u.section, point.point, u.section->seeds[u.seed]);
        } catch (...) {
          std::lock_guard lock(error_mu);
          if (!error) error = std::current_exception();
          next = units.size();
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
  }
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace moesim::sims
