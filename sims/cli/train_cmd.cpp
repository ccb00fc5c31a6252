// `moesim train`: one training run, every option on the command line or in a TOML file (--config).
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

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
  t->add_option("--config", "read options from this TOML file (keys: the long option names)");
  add_run_options(*t, *a);
  t->callback([a, t] {
    nlohmann::json options;
    for (const CLI::Option* o : t->get_options())
      if (o->count() > 0 && o->get_name() != "--help")
        options[o->get_name().substr(2)] = o->results().size() == 1 ? o->results()[0] : nlohmann::json(o->results()).dump();
    namespace fs = std::filesystem;
    check_out_folder(a->out);
    const auto record = run_training(*a, options, {.checkpoint = true, .progress = true});
    models::write_file_atomic(fs::path(a->out) / "run.json", record.dump(2) + "\n");
    const auto& r = record["result"];
    std::cout << "status " << r["status"].get<std::string>() << "  test " << r["test_metric"].get<double>()
              << "  train " << r["train_metric"].get<double>() << "  -> " << a->out << "/run.json\n";
  });
}

}  // namespace moesim::sims
