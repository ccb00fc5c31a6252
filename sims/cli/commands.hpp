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
void add_plot_command(CLI::App& app);
void add_slurm_command(CLI::App& app);

}  // namespace moesim::sims
