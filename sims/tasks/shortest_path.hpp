#pragma once
// Shortest path on directed G(n, p) (docs/claims.md: claim 2, [MoP] §4; graphs/encode.hpp's sequence
// format): the model reads the graph's arcs and a query (s, t) and generates the lexicographically
// smallest shortest path and its EOS. Example i of a split comes from its own stream (split_seed.hpp).
#include <cstdint>

#include "tasks/sequence_data.hpp"

namespace moesim::sims {

// Examples first .. first+count-1 of the stream `stream_seed` (generated in parallel); every query's path
// has at least `min_hops` arcs (graphs::shortest_path_instance).
std::vector<SequenceExample> shortest_path_examples(int nodes, double p, uint64_t stream_seed, uint64_t first, int count,
                                                    int min_hops = 1);

// Train and test sets from the train and test streams of `seed`.
SequenceData make_shortest_path(int nodes, double p, int train, int test, uint64_t seed, int min_hops = 1);

// --min-hops must leave a path to ask about: 1 .. nodes - 1; throws UsageError (the task and `graphs sample`).
void check_min_hops(long nodes, long min_hops);

// The longest model input any example on n vertices can have (every arc present, the longest path).
int shortest_path_max_len(int nodes);

// The share of examples whose path is one hop: answering "s t EOS" (the query's own ends) scores exactly
// this in exact match.
double one_hop_share(const std::vector<SequenceExample>& examples);

// The share of examples whose path is s m t with m the smallest vertex other than s and t: the exact match
// of a guess that reads only the query, the strongest such guess once one-hop queries are excluded
// (--min-hops 2) and p < 1/2: ties between shortest paths go to the lexicographically smallest one, and a
// fixed two-hop answer is likelier than any fixed longer one.
double smallest_middle_share(const std::vector<SequenceExample>& examples);

}  // namespace moesim::sims
