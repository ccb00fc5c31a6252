// `moesim sraven sample`: SRAVEN problems as JSON lines, one per problem, exactly as training sees them.
#include <iostream>
#include <limits>
#include <memory>

#include "cli/commands.hpp"
#include "cli/finite_range.hpp"
#include "usage_error.hpp"
#include "tasks/sraven.hpp"

namespace moesim::sims {
namespace {

struct SampleArgs {
  int features = 4, count = 10, pool = kSravenRules;
  std::string split = "train", format = "jsonl";
  uint64_t seed = 0;
  int64_t split_seed = -1;  // -1: the seed, as in training
};

void sample(const SampleArgs& a) {
  const auto splits = sraven_splits(a.features, a.pool, a.split_seed < 0 ? a.seed : uint64_t(a.split_seed));
  const SravenSplit split = a.split == "train" ? SravenSplit::Train : a.split == "test" ? SravenSplit::Test : SravenSplit::Ood;
  for (int i = 0; i < a.count; ++i) {
    fmt::memory_buffer line;
    append_sraven_jsonl(line, sraven_problem(splits, a.features, split, a.seed, uint64_t(i)));
    std::cout.write(line.data(), std::streamsize(line.size()));  // streamed: constant memory whatever --count
  }
}

}  // namespace

void add_sraven_command(CLI::App& app) {
  auto* s = app.add_subcommand("sraven", "SRAVEN problems (symbolic Raven matrices): sample them");
  s->require_subcommand(1);
  s->footer("Example:\n  moesim sraven sample --features 4 --count 3 --split ood --seed 1");
  auto a = std::make_shared<SampleArgs>();
  auto* smp = s->add_subcommand("sample", "Print problems as JSON lines: features, rules, perms, panels, target");
  smp->footer("Example:\n  moesim sraven sample --features 4 --count 3 --split ood --seed 1\n"
              "rules: one id per feature (0 constant, 1-4 progression +1 +2 -1 -2, 5 addition, 6 subtraction,\n"
              "7 distribute-three); perms[c][f]: the slot of feature f in column c; panels: 9 panels as presented,\n"
              "row-major; target: panel 9.");
  smp->add_option("--features", a->features, "features (and rules) per problem K")->check(CLI::Range(2, 16));
  smp->add_option("--count", a->count, "problems")->check(CLI::Range(1, 10000000));
  smp->add_option("--split", a->split, "train | test | ood")->check(CLI::IsMember({"train", "test", "ood"}));
  smp->add_option("--rule-pool", a->pool, "rules drawn from ids 0..rule-pool-1")->check(CLI::Range(1, kSravenRules));
  smp->add_option("--seed", a->seed, "seed of the problem stream")->check(unsigned_integer());
  smp->add_option("--split-seed", a->split_seed, "seed of the split of rule multisets into train/test and ood; -1: --seed")
      ->check(integer_range(-1, std::numeric_limits<int64_t>::max()));
  smp->add_option("--format", a->format, "jsonl")->check(CLI::IsMember({"jsonl"}));
  smp->callback([a] { sample(*a); });
}

}  // namespace moesim::sims
