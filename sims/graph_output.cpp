#include "graph_output.hpp"

#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "usage_error.hpp"
#include "graphs/dot.hpp"
#include "graphs/encode.hpp"

namespace moesim::sims {

using graphs::Instance;

GraphFormat parse_graph_format(std::string_view name) {
  if (name == "jsonl") return GraphFormat::Jsonl;
  if (name == "dot") return GraphFormat::Dot;
  if (name == "tokens") return GraphFormat::Tokens;
  throw UsageError("unknown format '" + std::string(name) + "' (accepted: jsonl, dot, tokens)");
}

namespace {

nlohmann::json to_json(const Instance& inst, graphs::Task task) {
  nlohmann::json j;
  j["nodes"] = inst.nodes;
  j["edges"] = inst.edges;  // pairs serialise as [u, v]
  j["source"] = inst.source;
  j["target"] = inst.target;
  if (task == graphs::Task::ShortestPath) {
    j["path"] = inst.path;
  } else {
    j["label"] = inst.label;
  }
  if (task == graphs::Task::Disjointness) {
    const int n = inst.nodes;
    std::vector<int> pos_a(n - 2), pos_b(n - 2);
    std::iota(pos_a.begin(), pos_a.end(), 0);
    std::iota(pos_b.begin(), pos_b.end(), n - 2);
    j["a"] = inst.a;
    j["b"] = inst.b;
    j["positions_a"] = pos_a;
    j["positions_b"] = pos_b;
  }
  return j;
}

void write_tokens(std::ostream& os, const Instance& inst, graphs::Task task) {
  const bool one_layer = task == graphs::Task::Length2 || task == graphs::Task::Disjointness;
  graphs::Encoded e;
  if (one_layer) {
    e.tokens = graphs::encode_length2(inst);
  } else {
    e = graphs::encode_sequence(inst);
  }
  for (size_t i = 0; i < e.tokens.size(); ++i) os << (i ? " " : "") << e.tokens[i];
  os << '\t';
  if (task == graphs::Task::ShortestPath) {
    for (char m : e.predict) os << (m ? '1' : '0');
  } else {
    os << (inst.label ? 1 : 0);
  }
  os << '\n';
}

}  // namespace

std::string format_instances(const std::vector<Instance>& instances, graphs::Task task, GraphFormat format) {
  std::ostringstream os;
  for (const auto& inst : instances) {
    switch (format) {
      case GraphFormat::Jsonl: os << to_json(inst, task).dump() << '\n'; break;
      case GraphFormat::Dot: graphs::write_dot(os, inst); break;
      case GraphFormat::Tokens: write_tokens(os, inst, task); break;
    }
  }
  return os.str();
}

}  // namespace moesim::sims
