#include "cli/config_file.hpp"

#include <sstream>
#include <toml++/toml.h>

#include "usage_error.hpp"

namespace moesim::sims {

namespace {

// The deepest subcommand the leading words name (`graphs sample` -> its App; `sweep quick` -> sweep's,
// "quick" being its positional argument), and the words that named it.
std::pair<CLI::App*, std::string> verb_app(CLI::App* app, const std::vector<std::string>& words) {
  std::string name = "moesim";
  for (const auto& w : words) {
    try {
      app = app->get_subcommand(w);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    name += " " + w;
  }
  return {app, name};
}

}  // namespace

std::vector<std::string> expand_config(const std::vector<std::string>& args, CLI::App* app) {
  std::vector<std::string> out;
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      path = args[++i];
    } else if (args[i].rfind("--config=", 0) == 0) {
      path = args[i].substr(9);
    } else {
      out.push_back(args[i]);
    }
  }
  if (path.empty()) return out;
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "--config: " << path << ":" << e.source().begin.line << ": " << e.description();
    throw UsageError(msg.str());
  }
  // The verb path (the leading words without dashes) stays first; the file's options follow it.
  size_t verbs = 0;
  while (verbs < out.size() && out[verbs].rfind("-", 0) != 0) ++verbs;
  const std::vector<std::string> words(out.begin(), out.begin() + long(verbs));
  auto [verb, verb_name] = app ? verb_app(app, words) : std::pair<CLI::App*, std::string>{nullptr, ""};
  std::vector<std::string> from_file;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const auto where = path + ":" + std::to_string(node.source().begin.line) + ": key '" + name + "'";
    if (verb && verb != app && !verb->get_option_no_throw("--" + name))
      throw UsageError("--config: " + where + " is no option of `" + verb_name +
                       "` (accepted: its long options without the dashes; see `" + verb_name + " --help`)");
    if (auto b = node.value<bool>(); b && node.is_boolean()) {
      if (*b) from_file.push_back("--" + name);
    } else if (node.is_string()) {
      from_file.insert(from_file.end(), {"--" + name, *node.value<std::string>()});
    } else if (node.is_integer()) {
      from_file.insert(from_file.end(), {"--" + name, std::to_string(*node.value<int64_t>())});
    } else if (node.is_floating_point()) {
      std::ostringstream v;
      v.precision(17);
      v << *node.value<double>();
      from_file.insert(from_file.end(), {"--" + name, v.str()});
    } else {
      throw UsageError("--config: " + where + " must be a string, number or boolean");
    }
  }
  out.insert(out.begin() + long(verbs), from_file.begin(), from_file.end());
  return out;
}

}  // namespace moesim::sims
