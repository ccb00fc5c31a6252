#include "dot.hpp"

#include <boost/graph/graphviz.hpp>

namespace moesim::graphs {

void write_dot(std::ostream& os, const Instance& inst) {
  const Graph g = make_graph(inst.nodes, inst.edges);
  auto vertex_writer = [&](std::ostream& out, Graph::vertex_descriptor v) {
    const int u = static_cast<int>(v);
    out << "[label=\"" << u << "\"";
    if (u == inst.source || u == inst.target) out << ", shape=doublecircle";
    out << "]";
  };
  boost::write_graphviz(os, g, vertex_writer);
}

}  // namespace moesim::graphs
