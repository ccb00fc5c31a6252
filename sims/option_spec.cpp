#include "option_spec.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "number_text.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

OptionSpec int_option(std::string name, int64_t fallback, int64_t min, int64_t max, std::string help) {
  return {.name = std::move(name), .type = OptionType::Int, .fallback = fallback, .help = std::move(help),
          .min = double(min), .max = double(max)};
}

OptionSpec real_option(std::string name, double fallback, double min, double max, std::string help) {
  return {.name = std::move(name), .type = OptionType::Real, .fallback = fallback, .help = std::move(help),
          .min = min, .max = max};
}

OptionSpec text_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help) {
  return {.name = std::move(name), .type = OptionType::Text, .fallback = std::move(fallback), .help = std::move(help),
          .choices = std::move(choices)};
}

OptionSpec flag_option(std::string name, std::string help) {
  return {.name = std::move(name), .type = OptionType::Flag, .fallback = false, .help = std::move(help)};
}

OptionSpec unsigned_option(std::string name, uint64_t fallback, std::string help) {
  return {.name = std::move(name), .type = OptionType::Unsigned, .fallback = fallback, .help = std::move(help)};
}

namespace {

// The whole text as a number of type N (no sign for unsigned types, no leading '+', no trailing text).
template <class N>
bool read_number(const std::string& text, N& out) {
  if (text.empty()) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

}  // namespace

std::string accepted_values(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::Flag: return "true or false";
    case OptionType::Unsigned: return "an integer in [0, 18446744073709551615]";
    case OptionType::Int: return "an integer in [" + std::to_string(int64_t(s.min)) + ", " + std::to_string(int64_t(s.max)) + "]";
    case OptionType::Real: return "a number in [" + number_text(s.min) + ", " + number_text(s.max) + "]";
    case OptionType::Text: {
      if (s.choices.empty()) return "any non-empty text";
      std::string out;
      for (size_t i = 0; i < s.choices.size(); ++i)
        out += (i == 0 ? "" : i + 1 == s.choices.size() ? " or " : ", ") + s.choices[i];
      return out;
    }
  }
  return "";
}

std::string value_problem(const OptionSpec& s, const std::string& text) {
  switch (s.type) {
    case OptionType::Flag:
      return text == "true" || text == "false" ? "" : quoted(text) + " is not a boolean";
    case OptionType::Unsigned: {
      uint64_t v = 0;
      return read_number(text, v) ? "" : quoted(text) + " is not an unsigned 64-bit integer";
    }
    case OptionType::Int: {
      int64_t v = 0;
      if (!read_number(text, v)) return quoted(text) + " is not an integer";
      return double(v) >= s.min && double(v) <= s.max ? "" : quoted(text) + " is out of range";
    }
    case OptionType::Real: {
      double v = 0;
      if (!read_number(text, v)) return quoted(text) + " is not a number";
      if (!std::isfinite(v)) return quoted(text) + " is not finite";
      return v >= s.min && v <= s.max ? "" : quoted(text) + " is out of range";
    }
    case OptionType::Text:
      if (s.choices.empty()) return text.empty() ? "an empty value" : "";
      for (const auto& c : s.choices)
        if (c == text) return "";
      return quoted(text) + " is not a choice";
  }
  return "";
}

Value parse_value(const OptionSpec& s, const std::string& text) {
  if (const std::string problem = value_problem(s, text); !problem.empty())
    throw UsageError("--" + s.name + ": " + problem + " (accepted: " + accepted_values(s) + ")");
  switch (s.type) {
    case OptionType::Flag: return text == "true";
    case OptionType::Unsigned: {
      uint64_t v = 0;
      read_number(text, v);
      return v;
    }
    case OptionType::Int: {
      int64_t v = 0;
      read_number(text, v);
      return v;
    }
    case OptionType::Real: {
      double v = 0;
      read_number(text, v);
      return v;
    }
    case OptionType::Text: return text;
  }
  return text;
}

std::string value_text(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<X, double>) return number_text(x);
        else if constexpr (std::is_same_v<X, std::string>) return x;
        else return std::to_string(x);
      },
      v);
}

nlohmann::json value_json(const Value& v) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

Value value_from_json(const OptionSpec& s, const nlohmann::json& j) {
  auto bad = [&] { return UsageError(s.name + ": " + j.dump() + " (accepted: " + accepted_values(s) + ")"); };
  switch (s.type) {
    case OptionType::Flag:
      if (!j.is_boolean()) throw bad();
      return j.get<bool>();
    case OptionType::Unsigned:
      if (!j.is_number_unsigned()) throw bad();
      return j.get<uint64_t>();
    case OptionType::Int:
      if (!j.is_number_integer()) throw bad();
      return parse_value(s, std::to_string(j.get<int64_t>()));
    case OptionType::Real:
      if (!j.is_number()) throw bad();
      return parse_value(s, number_text(j.get<double>()));
    case OptionType::Text:
      if (!j.is_string()) throw bad();
      return parse_value(s, j.get<std::string>());
  }
  throw bad();
}

const Value& OptionValues::at(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("option '" + name + "' was not declared by the task");
  return it->second;
}

namespace {

template <class V>
const V& typed(const Value& v, const std::string& name) {
  if (const V* p = std::get_if<V>(&v)) return *p;
  throw std::logic_error("option '" + name + "' read as another type than declared");
}

}  // namespace

int64_t OptionValues::integer(const std::string& name) const { return typed<int64_t>(at(name), name); }
uint64_t OptionValues::unsigned_integer(const std::string& name) const { return typed<uint64_t>(at(name), name); }
double OptionValues::real(const std::string& name) const { return typed<double>(at(name), name); }
const std::string& OptionValues::text(const std::string& name) const { return typed<std::string>(at(name), name); }
bool OptionValues::flag(const std::string& name) const { return typed<bool>(at(name), name); }

}  // namespace moesim::sims
