// `moesim slurm submit|status`: a preset as a Slurm job array (one shard per task) plus an aggregation
// job, and where such a sweep stands. The records are the state: a resubmission reruns only what is left.
#include <sys/file.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "models/atomic_file.hpp"
#include "run_record.hpp"
#include "slurm_script.hpp"
#include "sweep/preset.hpp"
#include "sweep/sweep_runner.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

namespace fs = std::filesystem;

struct SubmitArgs {
  std::string preset, out, partition, time;
  int array_size = 8, cpus = 1, gpus = 0;
  bool dry_run = false;
};

struct Captured {
  std::string out, err;
  int status = -1;
};

// A command's stdout, stderr (through a temporary file) and exit status.
Captured capture(const std::string& command) {
  char err_file[] = "/tmp/moesim-slurm-XXXXXX";
  const int fd = ::mkstemp(err_file);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file in /tmp");
  ::close(fd);
  Captured c;
  if (FILE* pipe = popen((command + " 2>" + err_file).c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe)) c.out += buf;
    const int status = pclose(pipe);
    c.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream in(err_file);
  std::stringstream err;
  err << in.rdbuf();
  c.err = err.str();
  ::unlink(err_file);
  return c;
}

// `sbatch --parsable ARGS`: the job id, the line of stdout that is "ID" or "ID;CLUSTER" (a job_submit
// plugin may print other lines).
std::string sbatch(const std::string& args) {
  const Captured c = capture("sbatch --parsable " + args);
  std::istringstream lines(c.out);
  std::string line, id;
  while (std::getline(lines, line)) {
    const std::string head = line.substr(0, line.find(';'));
    if (!head.empty() && head.find_first_not_of("0123456789") == std::string::npos) id = head;
  }
  if (c.status != 0 || id.empty()) {
    const std::string why = c.err.empty() ? c.out : c.err;
    throw std::runtime_error("sbatch " + args + " failed (status " + std::to_string(c.status) + "): " +
                             why.substr(0, why.find('\n')));
  }
  return id;
}

nlohmann::json read_jobs(const fs::path& file) {
  if (!fs::exists(file)) return nlohmann::json::array();
  std::ifstream in(file);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_array()) throw UsageError(file.string() + ": not a list of submissions (move it away to start afresh)");
  return j;
}

void submit(const SubmitArgs& a) {
  const Preset preset = load_preset(resolve_preset(a.preset));  // refused here, before any job exists
  if (a.out.empty()) throw UsageError("--out is required (a folder every node of the cluster can write)");
  check_out_folder(a.out);
  SlurmJob job{.moesim = fs::read_symlink("/proc/self/exe").string(),
               .preset = fs::absolute(preset.path).lexically_normal().string(),
               .out = fs::absolute(a.out).lexically_normal().string(),
               .name = preset.name,
               .array_size = a.array_size,
               .cpus_per_task = a.cpus,
               .gpus_per_task = a.gpus,
               .partition = a.partition,
               .time = a.time};
  if (const std::string why = sbatch_path_problem(job.out); !why.empty())
    throw UsageError("--out: " + job.out + ": " + why + " (accepted: a path without whitespace or '%')");
  const std::string array = array_script(job), aggregate = aggregate_script(job);
  if (a.dry_run) {
    std::cout << "# " << job.out << "/slurm/array.sh\n" << array << "\n# " << job.out << "/slurm/aggregate.sh\n"
              << aggregate << "# nothing submitted (--dry-run)\n";
    return;
  }
  if (capture("command -v sbatch").status != 0)
    throw UsageError("slurm submit: sbatch not found (run it where Slurm's commands are; --dry-run prints the scripts)");
  const fs::path dir = fs::path(job.out) / "slurm";
  auto jobs = read_jobs(dir / "jobs.json");
  fs::create_directories(dir / "logs");
  models::write_file_atomic(dir / "array.sh", array);
  models::write_file_atomic(dir / "aggregate.sh", aggregate);
  const std::string array_id = sbatch(shell_quoted((dir / "array.sh").string()));
  // Recorded at once: if the aggregation cannot be submitted, the array is still known to `status`.
  jobs.push_back({{"date", this_provenance(1).date}, {"preset", job.preset}, {"device", a.gpus > 0 ? "cuda" : "cpu"},
                  {"array_job", array_id}, {"array_size", job.array_size}, {"aggregate_job", ""}});
  models::write_file_atomic(dir / "jobs.json", jobs.dump(1) + "\n");
  std::string aggregate_id;
  try {  // kill-on-invalid-dep: if a task fails, the aggregation is cancelled instead of pending forever
    aggregate_id = sbatch("--dependency=afterok:" + array_id + " --kill-on-invalid-dep=yes " +
                          shell_quoted((dir / "aggregate.sh").string()));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " (array job " + array_id + " is queued; scancel it or submit again)");
  }
  jobs.back()["aggregate_job"] = aggregate_id;
  models::write_file_atomic(dir / "jobs.json", jobs.dump(1) + "\n");
  std::cout << "array job " << array_id << " (" << job.array_size << " tasks, shard I of " << job.array_size
            << " each), aggregation job " << aggregate_id << " (after the array succeeds)\n"
            << "logs: " << (dir / "logs").string() << "   where it stands: moesim slurm status " << job.out << "\n";
}

// Runs held now: claim files some process has locked (sweep/run_claim.hpp).
long held_claims(const fs::path& records) {
  long held = 0;
  std::error_code ec;
  if (!fs::is_directory(records, ec)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(records, ec)) {
    if (e.path().extension() != ".claim") continue;
    const int fd = ::open(e.path().c_str(), O_RDWR | O_CLOEXEC);  // NFS emulates flock with write locks
    if (fd < 0) continue;
    held += ::flock(fd, LOCK_EX | LOCK_NB) != 0;
    ::close(fd);
  }
  return held;
}

void status(const std::string& out) {
  const fs::path dir = fs::path(out) / "slurm";
  const auto jobs = read_jobs(dir / "jobs.json");
  if (jobs.empty()) throw UsageError("slurm status: " + out + " holds no submission (" + (dir / "jobs.json").string() + ")");
  const auto& last = jobs.back();
  const Preset preset = load_preset(last.at("preset").get<std::string>());
  SweepOptions o{.out = out, .jobs = 1, .device = last.value("device", "cpu"), .train = false, .quiet = true};
  SweepStats stats;
  long units = 0;
  for (const auto& r : run_sweep(preset, o, stats))
    for (const auto& p : r.points) units += long(p.seeds.size());
  const long left = long(stats.missing.size());
  std::cout << preset.name << ": " << units - left << " of " << units << " units done, " << left << " left ("
            << held_claims(fs::path(out) / "records") << " runs being trained now)\n";
  std::string ids;
  for (const auto& j : jobs)
    for (const char* key : {"array_job", "aggregate_job"})
      if (const auto id = j.value(key, ""); !id.empty()) ids += (ids.empty() ? "" : ",") + id;
  const Captured q = capture("squeue -h -o '%i %j %T %R' -j " + ids);
  const std::string& queue = q.status == 0 ? q.out : q.err;
  const int rc = q.status;
  std::cout << "submissions: " << jobs.size() << ", the last: array " << last.at("array_job").get<std::string>() << " ("
            << last.at("array_size") << " tasks), aggregation " << last.at("aggregate_job").get<std::string>() << "\n"
            << (rc == 0 ? (queue.empty() ? "squeue: none of them queued or running\n" : "squeue:\n" + queue)
                        : "squeue unavailable: " + queue.substr(0, queue.find('\n')) + "\n");
  if (left == 0 && fs::exists(fs::path(out) / "manifest.json")) std::cout << "done: CSVs and manifest in " << out << "\n";
}

}  // namespace

void add_slurm_command(CLI::App& app) {
  auto* s = app.add_subcommand("slurm", "Run a preset as a Slurm job array and see where it stands");
  s->require_subcommand(1);
  auto a = std::make_shared<SubmitArgs>();
  auto* sub = s->add_subcommand("submit", "Submit a preset: an array of shards, then an aggregation job");
  sub->footer(
      "Example:\n  moesim slurm submit paper --out /shared/paper --array-size 32 --partition gpu --gpus-per-task 1\n"
      "Task I of the array runs `moesim sweep PRESET --out DIR --shard I/N`; the aggregation job, once the array\n"
      "has succeeded, writes the CSVs, manifest and figures (`sweep --aggregate`). Submit again to finish what a\n"
      "killed task left: finished runs are reused. `moesim slurm status DIR` says where it stands.");
  sub->add_option("preset", a->preset, "preset file, or a preset's name")->required();
  sub->add_option("--out", a->out, "sweep folder on a file system every node shares")->required()->check(non_empty_path());
  sub->add_option("--array-size", a->array_size, "tasks in the array (shards)")->check(CLI::Range(1, 10000));
  sub->add_option("--cpus-per-task", a->cpus, "CPUs per task: runs side by side, one thread each")->check(CLI::Range(1, 1024));
  sub->add_option("--gpus-per-task", a->gpus, "GPUs per task (> 0: the runs use --device cuda)")->check(CLI::Range(0, 64));
  sub->add_option("--partition", a->partition, "Slurm partition (default: the cluster's)");
  sub->add_option("--time", a->time, "time limit per task, as sbatch takes it (default: the partition's)");
  sub->add_flag("--dry-run", a->dry_run, "print the two job scripts; submit and write nothing");
  sub->callback([a] { submit(*a); });
  auto out = std::make_shared<std::string>();
  auto* st = s->add_subcommand("status", "Units done, being trained and left, and the jobs in the queue");
  st->footer("Example:\n  moesim slurm status /shared/paper");
  st->add_option("dir", *out, "the sweep folder given to submit")->required();
  st->callback([out] { status(*out); });
}

}  // namespace moesim::sims
