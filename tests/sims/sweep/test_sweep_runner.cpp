// The sweep as a user runs it: killed at any moment (SIGKILL) and rerun, it ends with every run once and
// the same results as a sweep run from scratch; a diverging configuration is recorded as diverged.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <cmath>
#include <nlohmann/json.hpp>

#include "sweep/record_store.hpp"
#include "sweep/sweep_runner.hpp"
#include "../../scratch_dir.hpp"

extern char** environ;
namespace fs = std::filesystem;
using moesim::testing::fresh_dir;

namespace {

const char* kPreset = R"(
name = "resume"
[grid]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 96, steps = 400, eval-every = 100, batch = 16 }
axes = { experts = [0, 2, 4], m = [2, 4, 6] }
[cap]
kind = "memorization"
seeds = [1, 2, 3]
budget_factor = 0
fixed = { task = "gaussian", model = "onelayer", m = 4, steps = 300, eval-every = 100, batch = 32, eval-limit = 100000 }
axes = { experts = [0, 4] }
search = { key = "n", min = 16, max = 2048, start = 64, goal = "largest", target = 0.9, resolution = 0.2 }
)";

// `moesim sweep PRESET --out OUT`, its stdout and stderr to `log` (or /dev/null).
pid_t spawn_sweep(const std::string& preset, const fs::path& out, const std::vector<std::string>& extra = {},
                  const std::string& log = "/dev/null") {
  std::vector<std::string> args{MOESIM_BINARY, "sweep", preset, "--out", out.string(), "--threads-per-job", "1"};
  if (std::find(extra.begin(), extra.end(), "--jobs") == extra.end()) args.insert(args.end(), {"--jobs", "2"});
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

long files(const fs::path& dir, const std::string& part) {
  long n = 0;
  if (fs::exists(dir))
    for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.path().filename().string().find(part) != std::string::npos;
  return n;
}

// A preset written into a test's folder.
std::string write_preset(const fs::path& dir, const char* text) {
  const auto path = (dir / "preset.toml").string();
  std::ofstream(path) << text;
  return path;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("sweep: killed at any moment and rerun, every run exactly once, results as from scratch", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_sweep");
  const auto preset = write_preset(root, kPreset);

  const auto clean = root / "clean";
  REQUIRE(wait_exit(spawn_sweep(preset, clean)) == 0);
  const long runs = files(clean / "records", ".json");
  REQUIRE(files(clean / "records" / "grid", ".json") == 18);  // 9 points x 2 seeds
  REQUIRE(runs > 18);                                          // and the searches' probes

  // Kill the sweep at several moments, each time resuming where the last one stopped: right after it
  // starts, and just after its 1st, 2nd, ... new record lands (mid-run of the other job).
  const auto killed = root / "killed";
  for (long new_records : {0L, 1L, 3L, 1L, 2L}) {
    const long before = files(killed / "records", ".json");
    const pid_t pid = spawn_sweep(preset, killed);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (files(killed / "records", ".json") < before + new_records && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (new_records == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, SIGKILL);
    wait_exit(pid);
  }
  REQUIRE(files(killed / "records", ".json") < runs);  // it really was cut short
  REQUIRE(wait_exit(spawn_sweep(preset, killed)) == 0);
  REQUIRE(files(killed / "records", ".json") == runs);  // each run once: one record per run id
  REQUIRE(files(killed / "records", ".tmp.") == 0);     // no partial record
  REQUIRE(slurp(killed / "grid.csv") == slurp(clean / "grid.csv"));
  REQUIRE(slurp(killed / "cap.csv") == slurp(clean / "cap.csv"));
}

TEST_CASE("sweep: three sweeps started at once on one --out train each run once", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_concurrent");
  const auto preset = write_preset(root, kPreset);
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i)
    pids.push_back(spawn_sweep(preset, root / "out", {"--jobs", "1"}, (root / ("log" + std::to_string(i))).string()));
  for (pid_t pid : pids) REQUIRE(wait_exit(pid) == 0);
  long trained = 0;  // each prints "... (N runs trained, M reused, ...)"
  for (int i = 0; i < 3; ++i) {
    const std::string log = slurp(root / ("log" + std::to_string(i)));
    const auto at = log.rfind("  (");
    REQUIRE(at != std::string::npos);
    trained += std::stol(log.substr(at + 3));
  }
  const long runs = files(root / "out" / "records", ".json");
  REQUIRE(trained == runs);  // no run trained twice
  REQUIRE(files(root / "out", ".claim") == 0);
  // Each sweep's invocation is in the history: the manifest is read again under a lock before it is written.
  REQUIRE(nlohmann::json::parse(slurp(root / "out" / "manifest.json"))["invocations"].size() == 3);
  REQUIRE(wait_exit(spawn_sweep(preset, root / "alone")) == 0);
  REQUIRE(slurp(root / "out" / "grid.csv") == slurp(root / "alone" / "grid.csv"));
  REQUIRE(slurp(root / "out" / "cap.csv") == slurp(root / "alone" / "cap.csv"));
}

TEST_CASE("sweep: --shard I/N, N processes at once, cover the preset once and a plain sweep then trains nothing",
          "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_shards");
  const auto preset = write_preset(root, kPreset);
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i)
    pids.push_back(spawn_sweep(preset, root / "out", {"--jobs", "1", "--shard", std::to_string(i) + "/3"},
                               (root / ("log" + std::to_string(i))).string()));
  long trained = 0;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(wait_exit(pids[i]) == 0);
    const std::string log = slurp(root / ("log" + std::to_string(i)));
    const auto at = log.find("shard " + std::to_string(i) + "/3: ");
    REQUIRE(at != std::string::npos);
    trained += std::stol(log.substr(at + 10));
  }
  REQUIRE_FALSE(fs::exists(root / "out" / "grid.csv"));  // a shard writes records only
  REQUIRE(trained == files(root / "out" / "records", ".json"));
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out", {}, (root / "log_all").string())) == 0);
  REQUIRE(slurp(root / "log_all").find("(0 runs trained") != std::string::npos);  // the shards did it all
  REQUIRE(wait_exit(spawn_sweep(preset, root / "alone")) == 0);
  REQUIRE(slurp(root / "out" / "grid.csv") == slurp(root / "alone" / "grid.csv"));
  REQUIRE(slurp(root / "out" / "cap.csv") == slurp(root / "alone" / "cap.csv"));
}

TEST_CASE("sweep: a rerun removes what killed writers left beside the CSVs and records", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_temps_rerun");
  const auto preset = write_preset(root, R"(
[g]
kind = "shortest-path"
seeds = [1]
fixed = { task = "gaussian", model = "onelayer", n = 32, m = 2, steps = 20, eval-every = 20, batch = 16 }
)");
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out")) == 0);
  // As a SIGKILL during the CSV, manifest or record writes leaves them (no such process: pid 999999999).
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  for (char* c = host; *c; ++c)
    if (*c == '.' || *c == '/') *c = '_';  // as temp_suffix() writes it
  for (const auto& name : {"g.csv.tmp.999999999", "manifest.json.tmp.999999999", "records/g/x.json.tmp.999999999"})
    std::ofstream(root / "out" / name) << "half";
  std::ofstream(root / "out" / ("g.csv.tmp." + std::string(host) + ".999999999")) << "half";
  REQUIRE(files(root / "out", ".tmp.") == 4);
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out")) == 0);
  REQUIRE(files(root / "out", ".tmp.") == 0);
}

TEST_CASE("sweep: the first record it cannot write stops it, with one line", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_write_error");
  const auto preset = write_preset(root, kPreset);
  // records/ itself a file: refused before anything trains (as a read-only --out).
  fs::create_directories(root / "a");
  std::ofstream(root / "a" / "records") << "not a folder";
  REQUIRE(wait_exit(spawn_sweep(preset, root / "a", {}, (root / "log_a").string())) == 2);
  const std::string log_a = slurp(root / "log_a");
  REQUIRE(log_a.find("moesim: --out: " + (root / "a").string() + " cannot take the sweep's records") != std::string::npos);
  REQUIRE(log_a.find("moesim:") == log_a.rfind("moesim:"));  // one line says it
  // The sections' folders files: the sweep stops at its first run instead of failing unit after unit.
  fs::create_directories(root / "b" / "records");
  for (const char* section : {"grid", "cap"}) std::ofstream(root / "b" / "records" / section) << "not a folder";
  REQUIRE(wait_exit(spawn_sweep(preset, root / "b", {"--jobs", "1"}, (root / "log_b").string())) == 1);
  const std::string log_b = slurp(root / "log_b");
  INFO(log_b);
  REQUIRE(log_b.find("moesim: error: ") != std::string::npos);
  REQUIRE(log_b.find("moesim:") == log_b.rfind("moesim:"));
  REQUIRE(log_b.find("trained 0 ") != std::string::npos);
  REQUIRE(log_b.find("failed: ") == std::string::npos);  // not counted as a failed run, unit after unit
  REQUIRE(files(root / "b" / "records", ".json") == 0);
  REQUIRE_FALSE(fs::exists(root / "b" / "grid.csv"));
}

TEST_CASE("sweep: a diverging configuration is recorded as diverged and counted apart", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_diverge");
  // lr 10 with weight decay 10: AdamW's decoupled decay multiplies every weight by 1 - lr wd = -99 at each
  // step, so the weights overflow within about twenty steps.
  const auto preset = write_preset(root, R"(
[d]
kind = "shortest-path"
seeds = [1, 2, 3]
fixed = { task = "phonebook", model = "dense", d = 64, layers = 2, heads = 2, entries = 32, test-size = 8, steps = 100, eval-every = 50, lr = 10.0, clip = 0.0, warmup = 0.0, weight-decay = 10.0 }
)");
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out")) == 0);
  const auto csv = slurp(root / "out" / "d.csv");
  INFO(csv);
  // The CSV's diverged column counts all three seeds, and the test accuracy is no success.
  std::istringstream lines(csv);
  std::string head, row;
  std::getline(lines, head);
  std::getline(lines, row);
  std::vector<std::string> names, cells;
  for (std::stringstream h(head); std::getline(h, names.emplace_back(), ',');) {}
  for (std::stringstream r(row); std::getline(r, cells.emplace_back(), ',');) {}
  const auto column = [&](const std::string& name) {
    return cells.at(size_t(std::find(names.begin(), names.end(), name) - names.begin()));
  };
  REQUIRE(column("diverged") == "3");
  REQUIRE(column("test_max") == "0");
  long diverged = 0;
  for (const auto& e : fs::directory_iterator(root / "out" / "records" / "d"))
    diverged += slurp(e.path()).find("\"status\": \"diverged\"") != std::string::npos;
  REQUIRE(diverged == 3);
}

TEST_CASE("sweep: a corrupt record stops the sweep with status 2 naming the file", "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_corrupt");
  const auto preset = write_preset(root, R"(
[g]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 32, steps = 20, eval-every = 10 }
)");
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out")) == 0);
  const auto record = fs::directory_iterator(root / "out" / "records" / "g")->path();
  std::ofstream(record) << "{\"options\": {";  // torn by hand
  const auto csv_before = slurp(root / "out" / "g.csv");
  REQUIRE(wait_exit(spawn_sweep(preset, root / "out")) == 2);
  REQUIRE(slurp(root / "out" / "g.csv") == csv_before);  // nothing rewritten
}

TEST_CASE("sweep: --verify retrains reused records and refuses, naming them, when the bits differ",
          "[sims][sweep_runner]") {
  const auto root = fresh_dir("moesim_test_verify");
  const auto preset = write_preset(root, R"(
[g]
kind = "shortest-path"
seeds = [1, 2, 3]
fixed = { task = "gaussian", model = "onelayer", n = 32, steps = 20, eval-every = 10 }
)");
  const auto out = root / "out";
  REQUIRE(wait_exit(spawn_sweep(preset, out)) == 0);
  REQUIRE(wait_exit(spawn_sweep(preset, out, {"--verify", "1"})) == 0);  // every reused run again: identical
  auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  REQUIRE(manifest["invocations"].size() == 2);  // the history keeps both
  REQUIRE(manifest["invocations"][1]["runs"]["verified"] == 3);
  REQUIRE(manifest["invocations"][1]["runs"]["trained"] == 0);
  // A record whose stored result is one ulp off: the same identity, other bits.
  const auto record = fs::directory_iterator(out / "records" / "g")->path();
  auto j = nlohmann::json::parse(slurp(record));
  auto& last = j["result"]["evaluations"].back()["loss"];
  last = std::nextafter(last.get<double>(), 1e9);
  std::ofstream(record) << j.dump(1);
  const auto csv_before = slurp(out / "g.csv");
  REQUIRE(wait_exit(spawn_sweep(preset, out)) == 0);  // without --verify the record is taken as it is
  REQUIRE(wait_exit(spawn_sweep(preset, out, {"--verify", "1"})) == 2);
  REQUIRE(slurp(out / "g.csv") == csv_before);
  REQUIRE(nlohmann::json::parse(slurp(out / "manifest.json"))["invocations"].size() == 3);  // the refusal wrote nothing
  // Which records a --verify share picks is fixed by their identities.
  REQUIRE(moesim::sims::verify_selects("0123456789abcdef", 1.0));
  REQUIRE_FALSE(moesim::sims::verify_selects("0123456789abcdef", 0.0));
  int picked = 0;
  for (int i = 0; i < 1000; ++i) picked += moesim::sims::verify_selects(std::to_string(i), 0.1);
  REQUIRE((picked > 70 && picked < 130));
}

TEST_CASE("sweep: --verify passes a record that another section made, its options spelled otherwise",
          "[sims][sweep_runner]") {
  // [h] asks for [g]'s runs (the same identities, the default clip written out): it reuses [g]'s records,
  // which name [g] as their section and hold [g]'s options as given. What the run computed is the same.
  const auto root = fresh_dir("moesim_test_verify_shared");
  const auto preset = write_preset(root, R"(
[g]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 32, steps = 20, eval-every = 10 }

[h]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 32, steps = 20, eval-every = 10, clip = 1.0 }
)");
  const auto out = root / "out";
  REQUIRE(wait_exit(spawn_sweep(preset, out, {"--jobs", "1"})) == 0);  // one job: [g]'s runs before [h]'s
  auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  INFO(manifest["invocations"][0]["runs"].dump());
  REQUIRE(manifest["invocations"][0]["runs"]["trained"] == 2);  // [h] reused [g]'s two
  REQUIRE(wait_exit(spawn_sweep(preset, out, {"--verify", "1"})) == 0);
  manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  REQUIRE(manifest["invocations"][1]["runs"]["verified"] == 4);
}

TEST_CASE("sweep: a unit's shard follows its options and seed, not its place in the preset", "[sims][sweep_runner]") {
  using moesim::sims::unit_shard;
  const auto root = fresh_dir("moesim_test_shard_stable");
  auto preset_with = [&](const std::string& ms) {
    std::ofstream(root / "p.toml") << "[g]\nkind = \"shortest-path\"\nseeds = [1, 2, 3]\n"
                                      "fixed = { task = \"gaussian\", model = \"onelayer\", n = 32 }\naxes = { m = ["
                                   << ms << "] }\n";
    return moesim::sims::load_preset((root / "p.toml").string());
  };
  const auto before = preset_with("2, 4"), after = preset_with("1, 2, 3, 4");  // values added in front and between
  std::map<std::string, int> shard_of;
  std::vector<int> per_shard(5, 0);
  for (const auto& p : before.sections[0].points())
    for (uint64_t seed : before.sections[0].seeds) shard_of[p.options.at("m") + "/" + std::to_string(seed)] = unit_shard(before.sections[0], p, seed, 5);
  for (const auto& p : after.sections[0].points())
    for (uint64_t seed : after.sections[0].seeds) {
      const int s = unit_shard(after.sections[0], p, seed, 5);
      ++per_shard[s];
      const auto key = p.options.at("m") + "/" + std::to_string(seed);
      if (shard_of.count(key)) REQUIRE(shard_of[key] == s);
    }
  REQUIRE(*std::max_element(per_shard.begin(), per_shard.end()) < 12);  // 12 units over 5 shards: spread
  for (const auto& p : after.sections[0].points()) REQUIRE(unit_shard(after.sections[0], p, 1, 1) == 0);
}
