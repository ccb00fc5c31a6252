// moesim: tests theorems about Mixture-of-Experts transformers with real training runs.
#include <algorithm>
#include <exception>
#include <iostream>
#include <new>

#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "build_info.hpp"
#include "data_paths.hpp"
#include "usage_error.hpp"

namespace {

// The data folder for --version, or why there is none.
std::string data_folder() {
  try {
    const auto& d = moesim::sims::data_paths();
    return d.root + " (" + d.found_by + ")";
  } catch (const moesim::sims::UsageError& e) {
    return e.what();
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"moesim: test theorems about Mixture-of-Experts transformers with real training runs", "moesim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", moesim::sims::version_line() + "\ndata: " + data_folder());
  app.option_defaults()->always_capture_default();  // every option shows its default in --help
  app.footer("Examples:\n  moesim prove\n  moesim sweep quick --out results/quick\n"
             "  moesim train --task length2 --model onelayer --nodes 8 --m 8\n"
             "Run `moesim <verb> --help` for a verb's options and an example.");
  moesim::sims::add_all_commands(app);
  if (argc == 1) {  // bare: the verbs
    std::cout << app.help();
    return 0;
  }
  try {
    // --config expands into arguments first; the parser then checks them like typed ones.
    std::vector<std::string> args(argv + 1, argv + argc);
    args = moesim::sims::expand_config(args, &app);
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a verb that ran and failed (e.g. a check of `prove`)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::cerr << "moesim: " << e.what() << "\n";
    return moesim::sims::kUsageExit;
  } catch (const moesim::sims::UsageError& e) {
    std::cerr << "moesim: " << e.what() << "\n";
    return moesim::sims::kUsageExit;
  } catch (const std::bad_alloc&) {
    std::cerr << "moesim: out of memory: what was asked for does not fit in this machine's memory (ask for "
                 "smaller sizes or counts)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "moesim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
