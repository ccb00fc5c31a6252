// `moesim slurm`: the scripts it submits, its refusals, and a real one-node Slurm (scripts/slurm-local):
// an array with a task killed mid-way, resubmitted, ends with the CSVs of a plain sweep and every run once.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

namespace {

// Runs of 4-6 s each, so that the real-Slurm test's cancel of task 0 usually lands inside a run (its claim
// left behind); the test's counts do not depend on where it lands.
const char* kSlurmPreset = R"(
name = "slurmtest"
[grid]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 96, steps = 250000, eval-every = 50000, batch = 16 }
axes = { experts = [0, 4], m = [2, 4, 6] }
)";

long slurm_files(const fs::path& dir, const std::string& ext) {
  long n = 0;
  if (fs::exists(dir))
    for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.path().extension() == ext;
  return n;
}

}  // namespace

TEST_CASE("slurm: submit --dry-run prints an array of shards and an aggregation job, and writes nothing",
          "[sims][cli][slurm]") {
  const auto dir = fresh_dir("moesim_slurm_dry");
  write_text(dir / "p.toml", kSlurmPreset);
  const auto r = run_cli("slurm submit " + (dir / "p.toml").string() + " --out " + (dir / "out").string() +
                         " --array-size 4 --cpus-per-task 2 --partition gpu --time 1:00:00 --gpus-per-task 1 --dry-run");
  INFO(r.out);
  REQUIRE(r.status == 0);
  for (const std::string& line : std::vector<std::string>{"#SBATCH --array=0-3", "#SBATCH --cpus-per-task=2", "#SBATCH --partition=gpu",
                           "#SBATCH --time=1:00:00", "#SBATCH --gpus-per-task=1", "--shard \"${SLURM_ARRAY_TASK_ID}/4\" --jobs 2",
                           "--device cuda", "--aggregate --device cuda || exit", "plot '" + (dir / "out").string() + "'"})
    REQUIRE(r.out.find(line) != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "out"));
  const auto cpu = run_cli("slurm submit " + (dir / "p.toml").string() + " --out " + (dir / "out").string() + " --dry-run");
  REQUIRE(cpu.status == 0);
  REQUIRE(cpu.out.find("--threads-per-job 1 --device cpu") != std::string::npos);  // never left to auto
  REQUIRE(cpu.out.find("--aggregate --device cpu || exit") != std::string::npos);
}

TEST_CASE("slurm: a typo in the preset, a folder with no submission, sbatch missing: exit 2, one line",
          "[sims][cli][slurm]") {
  const auto dir = fresh_dir("moesim_slurm_bad");
  write_text(dir / "typo.toml", "[g]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", stpes = 3 }\n");
  require_refused({"slurm submit " + (dir / "typo.toml").string() + " --out " + (dir / "o").string(),
                   "slurm submit quick --out " + (dir / "o").string() + " --array-size 0",
                   "slurm status " + dir.string()});
  require_refused({"slurm submit quick --out " + (dir / "o").string()}, "PATH=/nonexistent");  // no sbatch
}

TEST_CASE("slurm: a real one-node Slurm runs the array, a killed task is finished by a resubmission",
          "[sims][cli][slurm]") {
  const fs::path cluster = fresh_dir("moesim-slurm-test");  // removed when the test process ends
  const std::string env = "MOESIM_SLURM_DIR=" + cluster.string() + " MOESIM_SLURMCTLD_PORT=16917 MOESIM_SLURMD_PORT=16918";
  const auto started = run_cli_raw("env " + env + " " + MOESIM_SOURCE_DIR "/scripts/slurm-local start");
  if (started.status != 0) {  // not root, no slurm-wlm, ports taken: say why and skip
    WARN("no Slurm here, skipped: " << started.out);
    std::printf("MOESIM_TEST_SKIPPED\n");
    return;
  }
  const std::string slurm = "SLURM_CONF=" + (cluster / "slurm.conf").string();
  struct Stop {
    std::string env;
    ~Stop() { run_cli_raw("env " + env + " " MOESIM_SOURCE_DIR "/scripts/slurm-local stop"); }
  } stop{env};
  auto queued = [&](const std::string& ids) {
    return run_cli_raw("env " + slurm + " squeue -h -o %i -j " + ids).out;
  };
  auto wait_gone = [&](const std::string& ids) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (!queued(ids).empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(queued(ids).empty());
  };
  auto submit = [&](const fs::path& out) {
    const auto r = run_cli("slurm submit " + (out.parent_path() / "p.toml").string() + " --out " + out.string() +
                           " --array-size 4", slurm);
    INFO(r.out);
    REQUIRE(r.status == 0);
    int array = 0, aggregate = 0;
    REQUIRE(std::sscanf(r.out.c_str(), "array job %d (4 tasks, shard I of 4 each), aggregation job %d", &array, &aggregate) == 2);
    return std::pair{std::to_string(array), std::to_string(aggregate)};
  };

  const auto dir = fresh_dir("moesim_slurm_real");
  write_text(dir / "p.toml", kSlurmPreset);
  const auto out = dir / "out";
  const auto [array, aggregate] = submit(out);
  // Task 0 is killed once it runs: its shard is left unfinished, so the aggregation never starts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (run_cli_raw("env " + slurm + " squeue -h -t R -o %i -j " + array + "_0").out.empty() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into its first run, most likely
  REQUIRE(run_cli_raw("env " + slurm + " scancel " + array + "_0").status == 0);
  wait_gone(array + "," + aggregate);
  REQUIRE_FALSE(fs::exists(out / "manifest.json"));
  const auto halfway = run_cli("slurm status " + out.string(), slurm);
  INFO(halfway.out);
  REQUIRE(halfway.status == 0);
  REQUIRE(halfway.out.find(" left") != std::string::npos);
  REQUIRE(halfway.out.find(", 0 left") == std::string::npos);

  const auto [array2, aggregate2] = submit(out);  // finishes what the killed task left
  wait_gone(array2 + "," + aggregate2);
  REQUIRE(fs::exists(out / "manifest.json"));
  REQUIRE(run_cli("slurm status " + out.string(), slurm).out.find(", 0 left") != std::string::npos);
  REQUIRE(run_cli("sweep " + (dir / "p.toml").string() + " --out " + (dir / "plain").string()).status == 0);
  REQUIRE(read_text(out / "grid.csv") == read_text(dir / "plain" / "grid.csv"));
  REQUIRE(slurm_files(out / "records", ".json") == slurm_files(dir / "plain" / "records", ".json"));
  // Every run trained once: the tasks that finished report what they trained, and with the runs the killed
  // task finished (none if the cancel landed in its first run), named by the job in their records, they
  // sum to the records.
  long trained = 0, by_arrays = 0;
  for (const auto& e : fs::recursive_directory_iterator(out / "records"))
    if (e.path().extension() == ".json") {
      const std::string job = nlohmann::json::parse(read_text(e.path()))["provenance"].value("job", "");
      trained += job == array + "_0";
      by_arrays += job.rfind(array + "_", 0) == 0 || job.rfind(array2 + "_", 0) == 0;
    }
  REQUIRE(by_arrays == slurm_files(out / "records", ".json"));  // each record names the task that trained it
  for (const auto& log : fs::directory_iterator(out / "slurm" / "logs")) {
    const std::string text = read_text(log.path());
    const auto at = text.find(" runs trained, ");
    if (text.rfind("shard ", 0) == 0 || text.find("\nshard ") != std::string::npos)
      if (at != std::string::npos) trained += std::stol(text.substr(text.rfind(": ", at) + 2));
  }
  REQUIRE(trained == slurm_files(out / "records", ".json"));
  REQUIRE(slurm_files(out / "records", ".claim") == 0);
  const auto manifest = read_text(out / "manifest.json");
  REQUIRE(manifest.find("\"SLURM_ARRAY_JOB_ID\": \"" + array2 + "\"") != std::string::npos);  // shards' jobs and nodes
  REQUIRE(manifest.find("SLURMD_NODENAME") != std::string::npos);
}
