// moesim: tests theorems about Mixture-of-Experts transformers with real training runs.
#include <algorithm>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "usage_error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"moesim: test theorems about Mixture-of-Experts transformers with real training runs"};
  app.require_subcommand(1);
  app.footer("Run `moesim <verb> --help` for a verb's options and an example.");
  moesim::sims::add_graphs_command(app);
  moesim::sims::add_sraven_command(app);
  moesim::sims::add_train_command(app);
  moesim::sims::add_prove_command(app);
  moesim::sims::add_sweep_command(app);
  moesim::sims::add_plot_command(app);
  moesim::sims::add_bench_command(app);
  try {
    // --config expands into arguments first; the parser then checks them like typed ones.
    std::vector<std::string> args(argv + 1, argv + argc);
    args = moesim::sims::expand_config(args);
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a verb that ran and failed (e.g. a check of `prove`)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::cerr << "moesim: " << e.what() << "\n";
    return moesim::sims::kUsageExit;
  } catch (const moesim::sims::UsageError& e) {
    std::cerr << "moesim: " << e.what() << "\n";
    return moesim::sims::kUsageExit;
  } catch (const std::exception& e) {
    std::cerr << "moesim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
