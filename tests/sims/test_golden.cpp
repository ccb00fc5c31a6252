// Golden runs: each task's first example, trained a few steps on the CPU, hashed bit for bit. The hash is
// pinned to the code versions (models/version.hpp, sims/trainer.hpp, the task's own): a change that alters
// what a run computes without bumping the version of what it changed fails here, so sweep records are never
// reused across a change of results (their identity includes the versions). After a deliberate change:
// bump the version, rerun this test, and paste the hashes it prints. A new option or a new recorded
// baseline moves the hash too (the record holds every option and baseline) while the training bits stay:
// no older record can be reused then (a run's identity holds every option), so the new hash is pasted at
// the same version (shortest-path on 2026-12-02: --min-hops and the answer_s_m_t baseline; length2 on
// 2026-12-05: the record's train_majority, and --fresh-labels, which changes only fresh-data runs and
// is in only their identities).
//
// The bits are those of a build for MOESIM_ARCH=x86-64-v3 (the default); another -march computes other
// bits, and the test reports itself skipped there.
#include <catch2/catch.hpp>

#include <cstdio>

#include "build_info.hpp"
#include "run_training.hpp"
#include "sweep/fnv_hash.hpp"
#include "tasks/task.hpp"

using namespace moesim::sims;

namespace golden_test {

// task -> {"backend.model.trainer.task", hash of what the run computed}
const std::map<std::string, std::pair<std::string, std::string>> kGolden = {
    {"gaussian", {"3.2.1.1", "b5195d6bc6483ea0"}},
    {"length2", {"3.2.1.2", "a7936ff5de7aca30"}},
    {"phonebook", {"3.2.1.1", "a5869d4b8a087843"}},
    {"shortest-path", {"3.2.1.2", "e3f0107e9ba4470e"}},
    {"sraven", {"3.2.1.2", "e79f33c6c3763d4e"}},
};

std::string versions(const CodeVersion& c) {
  return std::to_string(c.backend) + "." + std::to_string(c.model) + "." + std::to_string(c.trainer) + "." +
         std::to_string(c.task);
}

}  // namespace golden_test

using namespace golden_test;

TEST_CASE("golden: each task's run computes the bits pinned to its code versions", "[sims][golden]") {
  if (build_info().arch != "x86-64-v3") {
    std::printf("MOESIM_TEST_SKIPPED: golden bits are for -march=x86-64-v3, this build has '%s'\n",
                build_info().arch.c_str());
    return;
  }
  std::string table;
  bool all = true;
  for (const auto& task : tasks()) {
    Options given{{"task", task.name}, {"steps", "4"}, {"batch", "4"}, {"eval-every", "2"}, {"seed", "3"},
                  {"threads", "1"}};
    given.insert(task.examples.front().begin(), task.examples.front().end());
    if (task.family == Family::Transformer) given.insert({{"model", "moe"}, {"d", "8"}, {"heads", "2"}, {"experts", "3"}});
    else given.insert({{"model", "onelayer"}, {"m", "3"}, {"heads", "2"}, {"experts", "2"}, {"gate", "switch"}});
    RunOptions options = parse_run_options(given);
    options.device = "cpu";  // these are the CPU's bits, on a GPU machine too (the default is auto)
    const RunRecord r = run_training(options, given, {});
    // Routing statistics are observations of the run, not its bits: leaving them out checks that they
    // change nothing (records written before them are reused).
    auto computed = computed_json(r);
    for (auto& e : computed["result"]["evaluations"]) e.erase("routing");
    const std::string hash = fnv1a_hex(computed.dump());
    const std::string v = versions(r.code);
    table += "    {\"" + task.name + "\", {\"" + v + "\", \"" + hash + "\"}},\n";
    const auto pinned = kGolden.find(task.name);
    INFO(task.name << ": versions " << v << ", bits " << hash);
    CHECK(pinned != kGolden.end());
    if (pinned == kGolden.end()) continue;
    const bool same = pinned->second == std::make_pair(v, hash);
    all &= same;
    CHECK(same);  // other bits at the same versions: bump the version of what changed; new versions: update
  }
  if (!all) std::printf("golden: the table for this code (paste into tests/sims/test_golden.cpp):\n%s", table.c_str());
}
