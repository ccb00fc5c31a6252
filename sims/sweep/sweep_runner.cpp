#include "sweep/sweep_runner.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include "run_training.hpp"
#include "sweep/progress.hpp"
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
  Runner(const SweepOptions& o, Progress& progress) : o_(o), store_(o.out), progress_(progress) {}

  // The record of the run with these options: read back, or trained now and written. None on failure.
  std::optional<RunRecord> run(const Section& s, const Options& options) {
    if (auto found = store_.find(s.name, options)) {
      progress_.run_reused();
      return found;
    }
    progress_.run_started();
    try {
      RunOptions ro = parse_run_options(options);
      ro.threads = o_.threads_per_job;
      ro.device = o_.device;
      RunRecord record = run_training(ro, options, {});
      record.section = s.name;
      record.kind = s.kind;
      record.id = RecordStore::run_id(options);
      store_.write(s.name, options, record);
      progress_.run_finished(true);
      return record;
    } catch (const std::exception& e) {
      progress_.run_finished(false);
      std::fprintf(stderr, "\nmoesim: sweep: run %s of [%s] failed: %s\n", RecordStore::run_id(options).c_str(),
                   s.name.c_str(), e.what());
      return std::nullopt;
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
    return r;
  }

 private:
  const SweepOptions& o_;
  RecordStore store_;
  Progress& progress_;
};

}  // namespace

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
    Runner runner(o, progress);
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
  }
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace moesim::sims
