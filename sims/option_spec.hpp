#pragma once
// One option of a run, declared once: its name, type, default, accepted values, help and --help group.
// The command line (CLI11), presets, config files, run records and --help all read that declaration, so
// a value is checked the same way wherever it comes from and keeps its type end to end.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace moesim::sims {

// A typed option value: a flag, a signed integer, an unsigned 64-bit integer (seeds), a real, a text.
using Value = std::variant<bool, int64_t, uint64_t, double, std::string>;

enum class OptionType { Flag, Int, Unsigned, Real, Text };

struct OptionSpec {
  std::string name;            // the long name without dashes: "top-k"
  OptionType type = OptionType::Int;
  Value fallback;              // the default
  std::string help;
  std::string group;           // the heading it is listed under in --help
  double min = 0, max = 0;     // Int and Real: the accepted range, both ends included
  std::vector<std::string> choices;  // Text: the accepted values (empty: any text)
  std::string excludes;        // an option that may not be given together with this one
};

OptionSpec int_option(std::string name, int64_t fallback, int64_t min, int64_t max, std::string help);
OptionSpec real_option(std::string name, double fallback, double min, double max, std::string help);
OptionSpec text_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help);
OptionSpec flag_option(std::string name, std::string help);
OptionSpec unsigned_option(std::string name, uint64_t fallback, std::string help);

// What is wrong with `text` as the option's value ("" if nothing): the whole text must parse as the type,
// a real must be finite, a number must lie in range, a text must be one of the choices.
std::string value_problem(const OptionSpec& spec, const std::string& text);
// The value of `text`; throws UsageError "--NAME: what is wrong (accepted: ...)".
Value parse_value(const OptionSpec& spec, const std::string& text);
// "an integer in [1, 8192]", "linear or cosine", ...
std::string accepted_values(const OptionSpec& spec);

std::string value_text(const Value& v);  // as the command line carries it: "64", "0.003", "true", "linear"
nlohmann::json value_json(const Value& v);
// A JSON value read as the option's type (a record, a checkpoint's metadata); throws UsageError.
Value value_from_json(const OptionSpec& spec, const nlohmann::json& j);

// Named values, for the options a task declares (sims/tasks/): typed accessors that say which option
// is missing or of another type (a programming error: the task reads what it did not declare).
class OptionValues {
 public:
  void set(const std::string& name, Value v) { values_[name] = std::move(v); }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  const Value& at(const std::string& name) const;
  int64_t integer(const std::string& name) const;
  uint64_t unsigned_integer(const std::string& name) const;
  double real(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  bool flag(const std::string& name) const;
  const std::map<std::string, Value>& all() const { return values_; }

 private:
  std::map<std::string, Value> values_;
};

}  // namespace moesim::sims
