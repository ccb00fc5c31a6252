#pragma once
// `--config FILE` for any verb: the TOML file's keys are long option names (d = 64, lr = 1e-3,
// bidirectional = true) and expand into command-line arguments placed before the user's own, so the
// command line overrides the file. Given the program's App, a key that is no option of the verb is
// refused naming the file, line and key.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace moesim::sims {

// args without the program name. Throws UsageError for an unreadable file or a value that is not a
// string, number or boolean, or (with `app`) a key that is no option of the verb (with the file, line and
// key).
std::vector<std::string> expand_config(const std::vector<std::string>& args, CLI::App* app = nullptr);

}  // namespace moesim::sims
