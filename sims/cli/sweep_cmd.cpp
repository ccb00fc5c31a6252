// `moesim sweep PRESET`: runs a preset's grid (every point and seed once, searches included), resumes
// from the records of an earlier, killed run, and writes a CSV per figure and a manifest.
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "usage_error.hpp"
#include "device.hpp"
#include "models/atomic_file.hpp"
#include "sweep/aggregate.hpp"
#include "sweep/manifest.hpp"
#include "sweep/sweep_runner.hpp"

namespace moesim::sims {
namespace {

struct SweepArgs {
  std::string preset, out, device = "cpu", only;
  int jobs = 0, threads = 1;
};

int run_sweep_command(const SweepArgs& a) {
  namespace fs = std::filesystem;
  const Preset preset = load_preset(resolve_preset(a.preset));
  if (!a.only.empty()) {
    std::string names;
    bool known = false;
    for (const auto& s : preset.sections) names += (names.empty() ? "" : ", ") + s.name, known |= s.name == a.only;
    if (!known) throw UsageError("--only: '" + a.only + "' is no figure of " + preset.path + " (accepted: " + names + ")");
  }
  if (a.device == "cuda") make_backend("cuda");  // no GPU: one line and exit 2 before any run
  SweepOptions o{.out = a.out.empty() ? fs::path("runs/sweeps") / preset.name : fs::path(a.out),
                 .jobs = a.jobs > 0 ? a.jobs : std::max(1, int(std::thread::hardware_concurrency()) / a.threads),
                 .threads_per_job = a.threads, .device = a.device, .only = a.only};
  check_out_folder(o.out);
  fs::create_directories(o.out);
  std::cerr << "sweep " << preset.name << " (" << preset.path << ") -> " << o.out.string() << ": " << o.jobs
            << " jobs x " << o.threads_per_job << " threads on " << o.device << "\n";
  SweepStats stats;
  const auto results = run_sweep(preset, o, stats);
  for (const auto& r : results) {
    const auto csv = o.out / (r.section->name + ".csv");
    models::write_file_atomic(csv, section_csv(r));
    std::cout << csv.string() << "  (" << r.section->kind << ", " << r.points.size() << " points)\n";
  }
  models::write_file_atomic(o.out / "manifest.json", sweep_manifest(preset, o, stats, results).dump(2) + "\n");
  std::cout << (o.out / "manifest.json").string() << "  (" << stats.trained << " runs trained, " << stats.reused
            << " reused, " << stats.failed << " failed, " << int(stats.wall_seconds) << " s)\n";
  return stats.failed ? 1 : 0;
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  auto* s = app.add_subcommand("sweep", "Run a preset's sweep; resumable; writes a CSV per figure and a manifest");
  s->footer(
      "Examples:\n  moesim sweep quick                      (sims/presets/quick.toml -> runs/sweeps/quick)\n"
      "  moesim sweep quick --out results/quick --jobs 2\n"
      "  moesim sweep my.toml --only width --device cuda --jobs 4\n"
      "A rerun skips the runs that finished; exits 1 if a run failed.");
  s->add_option("preset", a->preset, "preset file, or a name under sims/presets/ (quick, paper, ...)")->required();
  s->add_option("--out", a->out, "folder for records, CSVs and the manifest (default runs/sweeps/NAME)");
  s->add_option("--jobs", a->jobs, "runs side by side (default: cores / threads-per-job)")->check(CLI::Range(1, 1024));
  s->add_option("--threads-per-job", a->threads, "OpenMP threads of each run")->check(CLI::Range(1, 1024));
  s->add_option("--device", a->device, "cpu | cuda (cuda: the jobs share the GPU)")->check(CLI::IsMember({"cpu", "cuda"}));
  s->add_option("--only", a->only, "run one figure (a table name of the preset)");
  s->callback([a] {
    if (const int rc = run_sweep_command(*a); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace moesim::sims
