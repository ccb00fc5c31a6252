#pragma once
// Each verb of the `moesim` command registers itself on the top-level app.
#include <CLI/CLI.hpp>

namespace moesim::sims {

void add_graphs_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_prove_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_sraven_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_slurm_command(CLI::App& app);

// Every verb, in the order `moesim --help` lists them: the program and the tests that walk the command
// tree (tests/sims/cli/test_bad_values.cpp) register the same set.
inline void add_all_commands(CLI::App& app) {
  add_graphs_command(app);
  add_sraven_command(app);
  add_data_command(app);
  add_train_command(app);
  add_prove_command(app);
  add_sweep_command(app);
  add_plot_command(app);
  add_slurm_command(app);
  add_bench_command(app);
}

}  // namespace moesim::sims
