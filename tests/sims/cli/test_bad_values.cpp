// The fuzzing table: every numeric flag of every verb, walked from the command tree itself, against every
// class of bad value. Each must exit 2 with one line naming the flag, die of no signal, and write nothing.
#include <catch2/catch.hpp>
#include <CLI/CLI.hpp>
#include <filesystem>
#include <map>

#include "cli/commands.hpp"
#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

namespace {

struct Flag {
  std::string verb;  // "graphs sample"
  CLI::Option* option;
};

void collect(CLI::App* app, const std::string& path, std::vector<Flag>& out) {
  for (CLI::Option* o : app->get_options()) {
    const std::string type = o->get_type_name();
    const bool numeric = type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0 || type.rfind("FLOAT", 0) == 0 ||
                         type.rfind("REAL", 0) == 0;
    if (numeric && !o->get_lnames().empty()) out.push_back({path, o});
  }
  for (CLI::App* sub : app->get_subcommands({})) collect(sub, (path.empty() ? "" : path + " ") + sub->get_name(), out);
}

bool integral(const CLI::Option* o) { return o->get_type_name().find("INT") == 0 || o->get_type_name().find("UINT") == 0; }

// Whether the option's checks refuse `text` (the validators only; nullopt when it has none).
std::optional<bool> checks_refuse(CLI::Option* o, std::string text) {
  try {
    (void)o->get_validator(0);
  } catch (const CLI::OptionNotFound&) {
    return std::nullopt;
  }
  for (int i = 0;; ++i) {
    CLI::Validator* v = nullptr;
    try {
      v = o->get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      return false;
    }
    std::string copy = text;
    if (!(*v)(copy).empty()) return true;
  }
}

}  // namespace

TEST_CASE("bad values: every numeric flag of every verb refuses every class of bad value, with one line",
          "[sims][cli][bad_values]") {
  CLI::App app;
  moesim::sims::add_all_commands(app);  // the program's own set: a new verb is walked too
  std::vector<Flag> flags;
  collect(&app, "", flags);
  REQUIRE(flags.size() > 50);

  // What each verb needs besides the flag under test, so that only the flag can be wrong. A new verb with
  // numeric flags needs a line here.
  const std::map<std::string, std::string> base{
      {"graphs sample", "--task disjointness --nodes 8"}, {"graphs calibrate", "--nodes 20"},
      {"sraven sample", ""}, {"data", "--task gaussian --n 3"}, {"train", "--task gaussian --model onelayer"},
      {"prove", ""},
      {"prove protocol", "--checkpoint /nonexistent.safetensors"}, {"sweep", "quick --dry-run"},
      {"bench graphs", "--no-peer"}, {"bench calibrate", ""}, {"bench train", "--no-peer"}, {"bench onelayer", ""},
      {"bench attention", ""},
      {"slurm submit", "quick --out /nonexistent/moesim-bad-values --dry-run"}};

  const auto cwd = fresh_dir("moesim_bad_values");
  long cases = 0;
  for (const auto& [verb, option] : flags) {
    INFO(verb << " " << option->get_name());
    REQUIRE(base.count(verb));
    const std::string name = "--" + option->get_lnames().front();
    std::vector<std::string> bad{"nan", "-nan", "inf", "-inf", "", "abc", "1x",
                                 integral(option) ? "99999999999999999999999" : "1e400"};
    if (integral(option)) bad.push_back("1.5");
    if (option->get_type_name().rfind("UINT", 0) == 0) bad.push_back("-1");
    for (std::string v : {"-1", "0"})  // bad where the flag's own checks say so
      if (checks_refuse(option, v).value_or(false)) bad.push_back(v);
    for (std::string v : {"1000", "1000000", "1000000000", "1000000000000", "1000000000000000000"})
      if (checks_refuse(option, v).value_or(false)) {  // the smallest power of ten above its range
        bad.push_back(v);
        break;
      }
    for (const auto& value : bad) {
      const auto r = run_cli_in(cwd, verb + " " + base.at(verb) + " " + name + " '" + value + "'", 30);
      INFO("value '" << value << "' -> status " << r.status << ": " << r.out);
      ++cases;
      CHECK(r.status == 2);            // not 0 (accepted), 1, 124 (ran on), 128 + a signal
      CHECK(count_lines(r.out) == 1);  // one line
      CHECK(r.out.rfind("moesim: ", 0) == 0);
      CHECK(r.out.find(name) != std::string::npos);  // naming the flag
      CHECK(fs::is_empty(cwd));                      // nothing written
      fs::remove_all(cwd);
      fs::create_directories(cwd);
    }
  }
  WARN(cases << " bad-value cases over " << flags.size() << " numeric flags");
}
