#include "graph_output.hpp"

#include <fmt/compile.h>

#include <iterator>
#include <sstream>

#include "graphs/dot.hpp"
#include "graphs/encode.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

using graphs::Instance;

GraphFormat parse_graph_format(std::string_view name) {
  if (name == "jsonl") return GraphFormat::Jsonl;
  if (name == "dot") return GraphFormat::Dot;
  if (name == "tokens") return GraphFormat::Tokens;
  throw UsageError("unknown format '" + std::string(name) + "' (accepted: jsonl, dot, tokens)");
}

namespace {

// Formatted straight into the buffer by compiled fmt formats, no JSON object tree per instance (that cost
// 7x the generation): the buffer grows once by a bound on the line, and shrinks to what was written.
void append_jsonl(TextBuffer& out, const Instance& inst, graphs::Task task) {
  constexpr size_t kInt = 11;  // "-2147483648"
  const size_t start = out.size();
  out.resize(start + 64 + 5 * kInt + inst.edges.size() * (2 * kInt + 4) + inst.path.size() * (kInt + 1));
  char* p = out.data() + start;
  p = fmt::format_to(p, FMT_COMPILE("{{\"nodes\":{},\"edges\":["), inst.nodes);
  for (const auto& [u, v] : inst.edges) p = fmt::format_to(p, FMT_COMPILE("[{},{}],"), u, v);
  if (!inst.edges.empty()) --p;  // the last comma
  p = fmt::format_to(p, FMT_COMPILE("],\"source\":{},\"target\":{}"), inst.source, inst.target);
  if (task == graphs::Task::ShortestPath) {
    p = fmt::format_to(p, FMT_COMPILE(",\"path\":["));
    for (int v : inst.path) p = fmt::format_to(p, FMT_COMPILE("{},"), v);
    if (!inst.path.empty()) --p;
    *p++ = ']';
  } else {
    p = fmt::format_to(p, FMT_COMPILE(",\"label\":{}"), inst.label);
  }
  out.resize(size_t(p - out.data()));
  if (task == graphs::Task::Disjointness) {
    const int inner = inst.nodes - 2;
    auto it = std::back_inserter(out);
    fmt::format_to(it, ",\"a\":");
    append_json_ints(out, inst.a);
    fmt::format_to(it, ",\"b\":");
    append_json_ints(out, inst.b);
    // Alice's tokens are positions 0..n-3, Bob's n-2..2n-5.
    fmt::format_to(it, ",\"positions_a\":[");
    for (int i = 0; i < inner; ++i) fmt::format_to(it, "{}{}", i ? "," : "", i);
    fmt::format_to(it, "],\"positions_b\":[");
    for (int i = 0; i < inner; ++i) fmt::format_to(it, "{}{}", i ? "," : "", inner + i);
    out.push_back(']');
  }
  out.append(std::string_view("}\n"));
}

void append_tokens(TextBuffer& out, const Instance& inst, graphs::Task task) {
  if (task == graphs::Task::Length2 || task == graphs::Task::Disjointness) {
    append_ints(out, graphs::encode_length2(inst));
    out.push_back('\t');
    out.push_back(inst.label ? '1' : '0');
  } else {
    const graphs::Encoded e = graphs::encode_sequence(inst);
    append_ints(out, e.tokens);
    out.push_back('\t');
    if (task == graphs::Task::ShortestPath) append_mask(out, e.predict);
    else out.push_back(inst.label ? '1' : '0');
  }
  out.push_back('\n');
}

}  // namespace

void append_instance(TextBuffer& out, const Instance& inst, graphs::Task task, GraphFormat format) {
  switch (format) {
    case GraphFormat::Jsonl: append_jsonl(out, inst, task); break;
    case GraphFormat::Tokens: append_tokens(out, inst, task); break;
    case GraphFormat::Dot: {
      std::ostringstream os;
      graphs::write_dot(os, inst);
      out.append(os.str());
      break;
    }
  }
}

std::string format_instances(const std::vector<Instance>& instances, graphs::Task task, GraphFormat format) {
  TextBuffer out;
  for (const auto& inst : instances) append_instance(out, inst, task, format);
  return fmt::to_string(out);
}

}  // namespace moesim::sims
