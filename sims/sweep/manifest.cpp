#include "sweep/manifest.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "build_info.hpp"
#include "data_paths.hpp"
#include "models/device_info.hpp"
#include "run_record.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

// The reports of `sweep --shard` under OUT/shards/, by file name; an unreadable one is named as such.
json shard_reports(const std::filesystem::path& out) {
  json reports = json::object();
  std::error_code ec;
  if (!std::filesystem::is_directory(out / "shards", ec)) return reports;
  for (const auto& e : std::filesystem::directory_iterator(out / "shards", ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    json report = json::parse(in, nullptr, false);
    reports[e.path().filename().string()] = report.is_discarded() ? json("unreadable") : report;
  }
  return reports;
}

// The invocation that just ran.
json invocation(const SweepOptions& o, const SweepStats& stats) {
  const BuildInfo& b = build_info();
  const Provenance here = this_provenance(o.threads_per_job);
  json gpus = json::array();
  for (const auto& g : models::cuda_devices()) gpus.push_back(g.name);
  return {{"date", here.date},
          {"moesim", version_line()},
          {"commit", b.commit + (b.dirty ? "-dirty" : "")},
          {"build_type", b.build_type},
          {"compiler", b.compiler},
          {"arch", b.arch},
          {"cpu", here.cpu},
          {"host", here.host},
          {"cpu_threads", std::thread::hardware_concurrency()},
          {"gpus", gpus},
          {"device", o.device},
          {"jobs", o.jobs},
          {"threads_per_job", o.threads_per_job},
          {"only", o.only},
          {"verify", o.verify},
          {"runs", {{"trained", stats.trained}, {"reused", stats.reused}, {"failed", stats.failed},
                    {"verified", stats.verified}}},
          {"records_by_commit", stats.records_by_commit},
          {"wall_seconds", stats.wall_seconds},
          {"slurm", slurm_environment()}};
}

// The history so far: the previous manifest's invocations, or, for a manifest written before histories
// existed, that manifest's one invocation.
json history(const json& previous) {
  if (previous.is_null()) return json::array();
  if (!previous.is_object()) throw UsageError("manifest.json: not a sweep manifest (a JSON object is expected)");
  if (previous.contains("invocations")) {
    if (!previous["invocations"].is_array()) throw UsageError("manifest.json: invocations must be a list");
    return previous["invocations"];
  }
  json old = previous;
  for (const char* key : {"preset", "preset_file", "preset_hash", "sections"}) old.erase(key);
  return json::array({old});
}

}  // namespace

json slurm_environment() {
  json out = json::object();
  for (const char* name : {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
                           "SLURMD_NODENAME", "SLURM_CLUSTER_NAME", "SLURM_JOB_PARTITION"})
    if (const char* v = std::getenv(name)) out[name] = v;
  return out.empty() ? json(nullptr) : out;
}

json sweep_manifest(const Preset& preset, const SweepOptions& o, const SweepStats& stats,
                    const std::vector<SectionResult>& results, const json& previous) {
  json invocations = history(previous);
  invocations.push_back(invocation(o, stats));
  json sections = previous.is_object() && previous.contains("sections") && previous["sections"].is_object()
                      ? previous["sections"] : json::object();
  for (const auto& r : results) {
    std::map<std::string, long> by_commit;  // the records behind this section's CSV
    for (const auto& p : r.points)
      for (const auto& seed : p.seeds)
        if (seed.record) ++by_commit[seed.record->provenance.commit];
    sections[r.section->name] = {{"kind", r.section->kind}, {"title", r.section->title},
                                 {"points", long(r.points.size())}, {"seeds", r.section->seeds},
                                 {"csv", r.section->name + ".csv"}, {"records_by_commit", by_commit}};
  }
  // The preset's path relative to the data folder when it lies inside it: the same on every clone.
  std::string preset_file = std::filesystem::absolute(preset.path).lexically_normal().string();
  const auto rel = std::filesystem::path(preset_file).lexically_relative(data_paths().root);
  if (!rel.empty() && *rel.begin() != "..") preset_file = rel.string();
  return {{"preset", preset.name},
          {"preset_file", preset_file},
          {"preset_hash", preset.hash},
          {"sections", sections},
          {"shards", shard_reports(o.out)},
          {"invocations", invocations}};
}

}  // namespace moesim::sims
