#pragma once
// Text formats of graph instances: `moesim graphs sample`, and the graph tasks' `moesim data`.
#include <string>
#include <string_view>
#include <vector>

#include "graphs/instances.hpp"
#include "tasks/task_data.hpp"

namespace moesim::sims {

enum class GraphFormat { Jsonl, Dot, Tokens };

// Accepted: jsonl, dot, tokens. Throws UsageError.
GraphFormat parse_graph_format(std::string_view name);

// jsonl: one object per line: nodes, edges [[u,v],...], source, target, then path (shortest path) or
//        label; disjointness adds a, b and Alice's/Bob's token positions positions_a, positions_b.
// dot:   one Graphviz digraph per instance.
// tokens: one line per instance: the token ids, a tab, then for shortest path the 0/1 mask of the tokens
//        to predict and for the classification tasks the label (0/1). Length-2 and disjointness use the
//        one-layer format, the others the sequence format (graphs/encode.hpp).
void append_instance(TextBuffer& out, const graphs::Instance& inst, graphs::Task task, GraphFormat format);
std::string format_instances(const std::vector<graphs::Instance>& instances, graphs::Task task,
                             GraphFormat format);

}  // namespace moesim::sims
