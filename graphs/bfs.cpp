#include "bfs.hpp"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>

namespace moesim::graphs {
namespace {

template <class Queue>
void run_bfs(const Graph& g, int source, std::vector<boost::default_color_type>& color,
             std::vector<int>& dist, Queue& queue) {
  queue.head = queue.tail = 0;
  std::fill(dist.begin(), dist.end(), kUnreachable);
  dist[source] = 0;
  auto color_map = boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, g));
  auto recorder = boost::record_distances(
      boost::make_iterator_property_map(dist.begin(), get(boost::vertex_index, g)),
      boost::on_tree_edge());
  boost::breadth_first_search(g, boost::vertex(source, g),
                              boost::visitor(boost::make_bfs_visitor(recorder)).color_map(color_map).buffer(queue));
}

}  // namespace

const std::vector<int>& Bfs::from(const Graph& g, int source) {
  if (dist_.size() != num_vertices(g)) resize(int(num_vertices(g)));
  run_bfs(g, source, color_, dist_, queue_);
  source_ = source;
  return dist_;
}

}  // namespace moesim::graphs
