// moesim: tests theorems about Mixture-of-Experts transformers with real training runs.
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/usage_error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"moesim: test theorems about Mixture-of-Experts transformers with real training runs"};
  app.require_subcommand(1);
  app.footer("Run `moesim <verb> --help` for a verb's options and an example.");
  moesim::sims::add_graphs_command(app);
  moesim::sims::add_bench_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
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
