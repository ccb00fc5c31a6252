// `moesim sweep PRESET`: runs a preset's grid (every point and seed once, searches included), resumes
// from the records of an earlier, killed run, and writes a CSV per figure and a manifest.
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/finite_range.hpp"
#include "cli/out_folder.hpp"
#include "usage_error.hpp"
#include "device.hpp"
#include "models/atomic_file.hpp"
#include "run_record.hpp"
#include "figures/figure.hpp"
#include "sweep/aggregate.hpp"
#include "sweep/manifest.hpp"
#include "sweep/run_claim.hpp"
#include "sweep/sweep_runner.hpp"

namespace moesim::sims {
namespace {

struct SweepArgs {
  std::string preset, out, device = "auto", only, shard;
  int jobs = 0, threads = 1;
  double verify = 0;
  bool dry_run = false, aggregate = false;
};

// The folder's manifest so far, read before any run so that a broken one stops the sweep at once.
nlohmann::json previous_manifest(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return nullptr;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception&) {
    throw UsageError(file.string() + ": not valid JSON (a sweep manifest is expected; move it away to start a new history)");
  }
}

// --shard I/N: 0 <= I < N <= 100000, or nullopt.
std::optional<std::pair<int, int>> read_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [](const std::string& t, int& v) {
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size();
  };
  int i = -1, n = 0;
  if (slash == std::string::npos || !number(text.substr(0, slash), i) || !number(text.substr(slash + 1), n) || n < 1 ||
      n > 100000 || i < 0 || i >= n)
    return std::nullopt;
  return std::pair{i, n};
}

// OUT/shards/I-of-N.json: what shard I did, where (under Slurm: its job, array task and node), for the
// manifest that the aggregating sweep writes.
void write_shard_report(const SweepOptions& o, const SweepStats& stats) {
  nlohmann::json report{{"shard", o.shard}, {"shards", o.shards}, {"host", this_provenance(o.threads_per_job).host},
                        {"date", this_provenance(o.threads_per_job).date}, {"trained", stats.trained},
                        {"reused", stats.reused}, {"failed", stats.failed}, {"wall_seconds", stats.wall_seconds},
                        {"slurm", slurm_environment()}};
  std::filesystem::create_directories(o.out / "shards");
  models::write_file_atomic(o.out / "shards" / (std::to_string(o.shard) + "-of-" + std::to_string(o.shards) + ".json"),
                            report.dump(1) + "\n");
}

void print_plan(const Preset& preset, const SweepOptions& o) {
  std::cout << "preset " << preset.name << ": " << preset.path << " -> " << o.out.string() << "\n";
  long units = 0;
  for (const auto& s : preset.sections) {
    if (!o.only.empty() && s.name != o.only) continue;
    const long points = long(s.points().size()), n = points * long(s.seeds.size());
    units += n;
    std::cout << "[" << s.name << "] " << s.kind << ": " << points << " points x " << s.seeds.size() << " seeds = " << n
              << (s.search ? " searches over " + s.search->key + " in [" + std::to_string(s.search->min) + ", " +
                                 std::to_string(s.search->max) + "]"
                           : " runs")
              << "\n";
  }
  if (o.shards > 1) {
    long mine = 0;
    for (const auto& s : preset.sections)
      if (o.only.empty() || s.name == o.only)
        for (const auto& p : s.points())
          for (uint64_t seed : s.seeds) mine += unit_shard(s, p, seed, o.shards) == o.shard;
    std::cout << "shard " << o.shard << "/" << o.shards << ": " << mine << " of the " << units << " units\n";
  }
  std::cout << units << " units of work; nothing trained (--dry-run)\n";
}

// A precision the device lacks (bf16 on the CPU or an older GPU) is refused before any run, once per
// precision the preset's runs ask for, naming a section that asks for it.
void check_precisions(const Preset& preset, const std::string& only, const std::string& device) {
  std::map<std::string, std::string> asked;  // precision -> a section asking for it
  for (const auto& s : preset.sections) {
    if (!only.empty() && s.name != only) continue;
    for (const auto& p : s.points())
      if (auto it = p.options.find("precision"); it != p.options.end() && it->second != "fp32")
        asked.emplace(it->second, s.name);
  }
  for (const auto& [precision, section] : asked) {
    try {
      make_backend(device, precision);
    } catch (const UsageError& e) {
      throw UsageError(preset.path + " [" + section + "]: " + e.what());
    }
  }
}

int run_sweep_command(SweepArgs a) {
  namespace fs = std::filesystem;
  if (!(a.verify >= 0 && a.verify <= 1))  // NaN too
    throw UsageError("--verify: " + std::to_string(a.verify) + " (accepted: a share in [0, 1])");
  const Preset preset = load_preset(resolve_preset(a.preset));
  if (!a.only.empty()) {
    std::string names;
    bool known = false;
    for (const auto& s : preset.sections) names += (names.empty() ? "" : ", ") + s.name, known |= s.name == a.only;
    if (!known) throw UsageError("--only: '" + a.only + "' is no figure of " + preset.path + " (accepted: " + names + ")");
  }
  a.device = resolve_device(a.device);  // before any identity: records name the device that ran them
  SweepOptions o{.out = a.out.empty() ? fs::path("runs/sweeps") / preset.name : fs::path(a.out),
                 .jobs = a.jobs > 0 ? a.jobs : std::max(1, int(std::thread::hardware_concurrency()) / a.threads),
                 .threads_per_job = a.threads, .device = a.device, .only = a.only, .verify = a.verify};
  if (const auto shard = read_shard(a.shard)) std::tie(o.shard, o.shards) = *shard;  // "" refused at parse
  o.train = !a.aggregate;
  check_out_folder(o.out);
  if (a.dry_run) {
    print_plan(preset, o);
    return 0;
  }
  if (a.device == "cuda" && !a.aggregate) make_backend("cuda");  // no GPU: one line, exit 2, before any run
  if (!a.aggregate) check_precisions(preset, a.only, a.device);
  const nlohmann::json previous = previous_manifest(o.out / "manifest.json");
  fs::create_directories(o.out);
  std::cerr << "sweep " << preset.name << " (" << preset.path << ") -> " << o.out.string() << ": " << o.jobs
            << " jobs x " << o.threads_per_job << " threads on " << o.device << "\n";
  SweepStats stats;
  const auto results = run_sweep(preset, o, stats);
  if (!stats.differing.empty()) {
    std::string ids;
    for (size_t i = 0; i < stats.differing.size() && i < 5; ++i) ids += (i ? ", " : "") + stats.differing[i];
    if (stats.differing.size() > 5) ids += ", ...";
    throw UsageError("--verify: " + std::to_string(stats.differing.size()) + " of " + std::to_string(stats.verified) +
                     " retrained records differ bit for bit from what they hold (" + ids + " under " +
                     (o.out / "records").string() +
                     "): the code or the machine computes them otherwise now; bump the code version that changed "
                     "(models/version.hpp) or rerun into a fresh --out. Nothing written.");
  }
  if (!stats.missing.empty()) {  // --aggregate: never a partial figure drawn as if whole
    std::string some;
    for (size_t i = 0; i < stats.missing.size() && i < 3; ++i) some += (i ? "; " : "") + stats.missing[i];
    std::cerr << "moesim: sweep --aggregate: " << stats.missing.size() << " units have no records yet (" << some
              << (stats.missing.size() > 3 ? "; ..." : "") << "): nothing written; run their shards again (`moesim "
              << "slurm submit` skips what is done) or a sweep without --aggregate\n";
    return 1;
  }
  if (o.shards > 1) {  // a part of the preset: its records only; a sweep without --shard draws the whole
    write_shard_report(o, stats);
    std::cout << "shard " << o.shard << "/" << o.shards << ": " << stats.trained << " runs trained, " << stats.reused
              << " reused, " << stats.failed << " failed, " << int(stats.wall_seconds) << " s; records in "
              << (o.out / "records").string() << " (the CSVs and manifest: `moesim sweep " << a.preset
              << " --out " << o.out.string() << "` once every shard is done)\n";
    return stats.failed ? 1 : 0;
  }
  // The CSVs and the manifest under one lock, the history read again under it: sweeps that finish at once on
  // one --out each add their invocation (the first reading, above, only stopped a broken manifest early).
  const auto lock = RunClaim::take(o.out / "manifest.lock", true);
  const nlohmann::json latest = previous_manifest(o.out / "manifest.json");
  for (const auto& r : results) {
    const auto csv = o.out / (r.section->name + ".csv");
    models::write_file_atomic(csv, section_csv(r));
    std::cout << csv.string() << "  (" << r.section->kind << ", " << r.points.size() << " points)\n";
    for (const auto& [name, table] : figure_named(r.section->kind).extra_csvs) {
      const auto extra = o.out / (r.section->name + "." + name + ".csv");
      models::write_file_atomic(extra, table(r));
      std::cout << extra.string() << "\n";
    }
  }
  models::write_file_atomic(o.out / "manifest.json",
                            sweep_manifest(preset, o, stats, results, latest).dump(2) + "\n");
  std::cout << (o.out / "manifest.json").string() << "  (" << stats.trained << " runs trained, " << stats.reused
            << " reused";
  if (o.verify > 0) std::cout << ", " << stats.verified << " of them retrained by --verify and identical";
  std::cout << ", " << stats.failed << " failed, " << int(stats.wall_seconds) << " s)\n";
  return stats.failed ? 1 : 0;
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  auto* s = app.add_subcommand("sweep", "Run a preset's sweep; resumable; writes a CSV per figure and a manifest");
  s->footer(
      "Examples:\n  moesim sweep quick                      (the quick preset -> runs/sweeps/quick)\n"
      "  moesim sweep quick --out results/quick --jobs 2\n"
      "  moesim sweep quick --dry-run            (what would run, nothing trained)\n"
      "  moesim sweep quick --out results/quick --verify 0.05   (retrain 5% of the reused runs, compare bits)\n"
      "  moesim sweep my.toml --only width --device cuda --jobs 4\n"
      "  moesim sweep quick --out shared/quick --shard 2/8   (one part of eight; then without --shard for the CSVs)\n"
      "A rerun reuses the runs whose configuration and code version are unchanged; exits 1 if a run failed.");
  s->add_option("preset", a->preset, "preset file, or a preset's name (quick, paper, topk, ...)")->required();
  s->add_option("--out", a->out, "folder for records, CSVs and the manifest (default: runs/sweeps/NAME)")->check(non_empty_path());
  s->add_option("--jobs", a->jobs, "runs side by side")->check(CLI::Range(1, 1024))->default_str("cores / threads-per-job");
  s->add_option("--threads-per-job", a->threads, "OpenMP threads of each run")->check(CLI::Range(1, 1024));
  s->add_option("--device", a->device, "cpu | cuda | auto (the GPU when one is visible, else the CPU); cuda: the jobs share the GPU. Records are per "
                "device: --aggregate reads those of the device it is given")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}));
  s->add_option("--only", a->only, "run one figure (a table name of the preset)");
  s->add_option("--verify", a->verify, "retrain this share of the reused records and refuse if any differs bit for bit")
      ->check(finite_range(0.0, 1.0));
  s->add_option("--shard", a->shard, "I/N: only the units whose hash is I mod N (0 <= I < N); N such sweeps, on any "
                "machines sharing --out, cover the preset once; records only, no CSVs")
      ->check(CLI::Validator(
          [](std::string& text) {
            return read_shard(text) ? std::string()
                                    : "'" + text + "' (accepted: I/N with 0 <= I < N <= 100000, e.g. 0/4)";
          },
          "", ""));
  s->add_flag("--aggregate", a->aggregate, "train nothing: CSVs and manifest from the records, or, if a unit has none, "
              "say which and write nothing (exit 1)")->excludes("--shard");
  s->add_flag("--dry-run", a->dry_run, "print the figures, points, seeds and units; train nothing, write nothing");
  s->callback([a] {
    if (const int rc = run_sweep_command(*a); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace moesim::sims
