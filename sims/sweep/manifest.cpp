#include "sweep/manifest.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "models/device_info.hpp"
#include "repo_paths.hpp"

namespace moesim::sims {
namespace {

// The first line a shell command prints, or "unknown".
std::string first_line(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return "unknown";
  char buf[256] = {0};
  const bool got = std::fgets(buf, sizeof buf, pipe) != nullptr;
  pclose(pipe);
  std::string s = got ? buf : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

}  // namespace

nlohmann::json sweep_manifest(const Preset& preset, const SweepOptions& o, const SweepStats& stats,
                              const std::vector<SectionResult>& results) {
  const std::string src = repo_root();
  std::string commit = first_line("git -C '" + src + "' rev-parse --short=12 HEAD");
  if (commit != "unknown" && first_line("git -C '" + src + "' status --porcelain --untracked-files=no") != "unknown")
    commit += "-dirty";
  nlohmann::json gpus = nlohmann::json::array();
  for (const auto& g : models::cuda_devices()) gpus.push_back(g.name);
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  nlohmann::json sections = nlohmann::json::object();
  for (const auto& r : results) {
    long points = long(r.points.size());
    sections[r.section->name] = {{"kind", r.section->kind}, {"title", r.section->title}, {"points", points},
                                 {"seeds", r.section->seeds}, {"csv", r.section->name + ".csv"}};
  }
  // The preset's path relative to the repository when it lies inside it: the same on every clone.
  std::string preset_file = std::filesystem::absolute(preset.path).lexically_normal().string();
  if (const auto rel = std::filesystem::path(preset_file).lexically_relative(src); !rel.empty() && *rel.begin() != "..")
    preset_file = rel.string();
  return {{"preset", preset.name},
          {"preset_file", preset_file},
          {"preset_hash", preset.hash},
          {"commit", commit},
          {"compiler", std::string("g++ ") + __VERSION__},
          {"build_type", MOESIM_BUILD_TYPE},
          {"cpu", cpu_model()},
          {"cpu_threads", std::thread::hardware_concurrency()},
          {"gpus", gpus},
          {"date", date},
          {"device", o.device},
          {"jobs", o.jobs},
          {"threads_per_job", o.threads_per_job},
          {"only", o.only},
          {"runs", {{"trained", stats.trained}, {"reused", stats.reused}, {"failed", stats.failed}}},
          {"wall_seconds", stats.wall_seconds},
          {"sections", sections}};
}

}  // namespace moesim::sims
