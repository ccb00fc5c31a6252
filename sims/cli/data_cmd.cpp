// `moesim data`: a task's examples, exactly as `moesim train` draws them with the same task options and
// seed (tasks/task_data.hpp), streamed in constant memory; --out appears whole or not at all.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "data_export.hpp"
#include "run_options.hpp"
#include "stream_out.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

struct DataArgs {
  std::string split = "train", format = "jsonl", out;
  long offset = 0, count = -1;
  int threads = 0;
  bool list = false;
};

void run_data(const RunOptions& given_options, const Options& given, const DataArgs& a) {
  RunOptions o = given_options;
  const Task& task = task_named(o.task);
  o.model = family_model(task.family);  // the data never depends on the model; its checks want one
  resolve_run_options(o);
  check_task_options(o.task, given);
  check_run_options(o);
  const DataFormat format = parse_data_format(a.format);
  const auto data = task.data(o);
  if (a.list) {  // the task's splits with these options: name, size, what it is
    for (const auto& s : data->splits())
      std::cout << s.name << '\t' << (s.size == DataSplit::kUnbounded ? "unbounded" : std::to_string(s.size)) << '\t'
                << s.help << '\n';
    return;
  }
  const ExportRange range{.split = a.split, .offset = a.offset, .count = a.count};
  checked_split(*data, range);  // before --out is created
  StreamOut out(a.out);
  export_examples(*data, range, format, [&out](std::string_view text) { out.write(text); }, a.threads);
  out.commit();
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto a = std::make_shared<DataArgs>();
  auto* d = app.add_subcommand("data", "Write a task's examples (train, test, ...) exactly as training draws them");
  d->footer(
      "Examples:\n  moesim data --task length2 --distribution disjointness --nodes 16 --train-size 0 --count 1000000 "
      "--format tokens --out train.tsv\n"
      "  moesim data --task sraven --features 3 --split ood --seed 2\n"
      "  moesim data --task phonebook --entries 10000 --split test --format jsonl\n"
      "Example i of a split is example i of that split in `moesim train` with the same task options and --seed.\n"
      "Fixed training sets are written in their index order (training visits them in a new shuffle per epoch);\n"
      "fresh streams (--train-size 0, sraven's train) hold batch s of size B at examples s*B .. s*B+B-1.\n"
      "tokens: the model's input, a tab, its target (label 0/1, the 0/1 mask of the tokens in the loss, or\n"
      "SRAVEN's K values). Examples stream in chunks (constant memory); --out appears whole once all are written.");
  d->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // The task, the seed and every task's own options, declared once with `moesim train`'s.
  add_run_options(*d, *o, [](const RunOption& opt) {
    return !opt.tasks.empty() || opt.spec.name == "task" || opt.spec.name == "seed";
  });
  d->add_option("--split", a->split, "which examples: train | test | confirm | ood, as the task has them")
      ->group("Data");
  d->add_option("--offset", a->offset, "the first example written (0..)")->check(CLI::Range(0L, 1L << 50))->group("Data");
  d->add_option("--count", a->count, "examples to write (default: to the split's end; needed for a stream)")
      ->check(CLI::Range(0L, 1L << 50))
      ->group("Data");
  d->add_option("--format", a->format, "jsonl | tokens")->check(CLI::IsMember({"jsonl", "tokens"}))->group("Data");
  d->add_option("--out", a->out, "write to this file (atomically) instead of stdout")
      ->check(non_empty_path())
      ->group("Data");
  d->add_flag("--splits", a->list, "print the task's splits (name, size, what it is) and write nothing else")
      ->group("Data");
  d->add_option("--threads", a->threads, "threads formatting chunks (0 = all)")->check(CLI::Range(0, 4096))->group("Data");
  d->callback([o, a, d] { run_data(*o, typed_run_options(*d), *a); });
}

}  // namespace moesim::sims
