// `moesim train`: one training run, every option on the command line or in a TOML file (--config). It
// writes run.json and model.safetensors into --out, or into a new folder under runs/train/; it never
// replaces a run.
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "models/atomic_file.hpp"
#include "run_training.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

namespace fs = std::filesystem;

// A new folder runs/train/DATE-TIME (UTC; -2, -3, ... when it exists), made here: two runs finishing in one
// second never share one.
fs::path new_run_folder() {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
  fs::create_directories("runs/train");
  for (int i = 1;; ++i) {
    const fs::path dir = fs::path("runs/train") / (std::string(stamp) + (i > 1 ? "-" + std::to_string(i) : ""));
    if (fs::create_directory(dir)) return dir;
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<RunOptions>();
  auto* t = app.add_subcommand("train", "Train one model on one task; writes run.json and model.safetensors");
  t->footer(
      "Examples:\n  moesim train --task phonebook --model moe --experts 4 --entries 128\n"
      "  moesim train --task length2 --model onelayer --nodes 8 --m 8\n"
      "  moesim train --config docs/examples/run.toml   (keys are the long option names; the command line wins)\n"
      "Without --out each run gets a new folder runs/train/DATE-TIME; an --out that holds a run is refused.");
  // --config FILE is expanded before parsing (cli/config_file.hpp); the command line overrides it.
  t->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  t->add_option("--config", "read options from this TOML file (keys: the long option names)")->group("Run");
  add_run_options(*t, *a);
  t->callback([a, t] {
    resolve_run_options(*a);
    const Options given = typed_run_options(*t);  // what was typed
    check_task_options(a->task, given);
    if (!a->out.empty()) {
      check_out_folder(a->out);
      if (fs::exists(fs::path(a->out) / "run.json"))
        throw UsageError("--out: '" + a->out + "' already holds a run (run.json); moesim never replaces one (accepted: a "
                         "new or empty folder, or no --out for a new folder under runs/train/)");
    }
    fs::path out;
    auto folder = [&] {
      if (a->out.empty()) {
        out = new_run_folder();
      } else {
        out = a->out;
        fs::create_directories(out);
      }
      return out;
    };
    const auto record = run_training(*a, given, {.folder = folder, .progress = true});
    models::write_file_atomic(out / "run.json", record_json(record).dump(2) + "\n");
    const auto& last = record.result.last();
    std::cout << "status " << record.result.status << "  test " << last.test_metric << "  train "
              << last.train_metric << "  -> " << (out / "run.json").string() << "\n";
  });
}

}  // namespace moesim::sims
