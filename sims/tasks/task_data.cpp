#include "tasks/task_data.hpp"

#include <iterator>

#include "usage_error.hpp"

namespace moesim::sims {

DataFormat parse_data_format(const std::string& name) {
  if (name == "jsonl") return DataFormat::Jsonl;
  if (name == "tokens") return DataFormat::Tokens;
  throw UsageError("--format: '" + name + "' is not a data format (accepted: jsonl, tokens)");
}

void append_ints(TextBuffer& out, const std::vector<int>& values, char sep) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back(sep);
    append_int(out, values[i]);
  }
}

void append_json_ints(TextBuffer& out, const std::vector<int>& values) {
  out.push_back('[');
  append_ints(out, values, ',');
  out.push_back(']');
}

void append_mask(TextBuffer& out, const std::vector<char>& mask) {
  for (char m : mask) out.push_back(m ? '1' : '0');
}

void append_floats(TextBuffer& out, const float* values, long count, char sep) {
  for (long i = 0; i < count; ++i) {
    if (i) out.push_back(sep);
    fmt::format_to(std::back_inserter(out), "{}", values[i]);  // the shortest text that reads back exactly
  }
}

}  // namespace moesim::sims
