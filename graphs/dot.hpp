#pragma once
// Graphviz output through Boost.Graph's writer.
#include <ostream>

#include "instances.hpp"

namespace moesim::graphs {

// One `digraph` per instance; the query's source and target are drawn as double circles.
void write_dot(std::ostream& os, const Instance& inst);

}  // namespace moesim::graphs
