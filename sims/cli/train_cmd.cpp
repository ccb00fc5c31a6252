// `moesim train`: one training run, every option on the command line or in a TOML file (--config).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "models/atomic_file.hpp"
#include "run_training.hpp"

namespace moesim::sims {

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<RunOptions>();
  auto* t = app.add_subcommand("train", "Train one model on one task; writes run.json and model.safetensors");
  t->footer(
      "Examples:\n  moesim train --task phonebook --model moe --experts 4 --entries 128\n"
      "  moesim train --task length2 --model onelayer --nodes 8 --m 8\n"
      "  moesim train --config run.toml      (keys are the long option names: d = 64, lr = 0.001, ...)");
  // --config FILE is expanded before parsing (cli/config_file.hpp); the command line overrides it.
  t->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  t->add_option("--config", "read options from this TOML file (keys: the long option names)")->group("Run");
  add_run_options(*t, *a);
  t->callback([a, t] {
    resolve_run_options(*a);
    Options given;  // what was typed (the last value of an option given twice)
    for (const CLI::Option* o : t->get_options())
      if (o->count() > 0 && o->get_name() != "--help" && o->get_name() != "--config") {
        const std::string name = o->get_name().substr(2);
        const RunOption* opt = find_run_option(name);
        given[name] = opt && opt->spec.type == OptionType::Flag ? "true" : o->results().back();
      }
    namespace fs = std::filesystem;
    check_out_folder(a->out);
    const auto record = run_training(*a, given, {.checkpoint = (fs::path(a->out) / "model.safetensors").string(),
                                                 .progress = true});
    models::write_file_atomic(fs::path(a->out) / "run.json", record_json(record).dump(2) + "\n");
    const auto& last = record.result.last();
    std::cout << "status " << record.result.status << "  test " << last.test_metric << "  train "
              << last.train_metric << "  -> " << a->out << "/run.json\n";
  });
}

}  // namespace moesim::sims
