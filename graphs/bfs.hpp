#pragma once
// Breadth-first distances with Boost.Graph, reusing buffers across calls (the hot loop of calibration).
#include <span>
#include <vector>

#include "digraph.hpp"

namespace moesim::graphs {

inline constexpr int kUnreachable = -1;

class Bfs {
 public:
  explicit Bfs(int n = 0) { resize(n); }
  void resize(int n) {
    color_.resize(n);
    dist_.resize(n);
    queue_.items.resize(n);
  }

  // dist[v] = length of a shortest path source -> v, or kUnreachable. (n,) The buffers follow g's size.
  const std::vector<int>& from(const Graph& g, int source);
  int source() const { return source_; }  // of the last search
  const std::vector<int>& dist() const { return dist_; }  // of the last search (n,)
  // The vertices the last search reached, in the order it reached them: by nondecreasing distance.
  std::span<const Graph::vertex_descriptor> order() const { return {queue_.items.data(), queue_.tail}; }

 private:
  // BFS's queue: each vertex enters at most once, so a vector of n slots with a moving head is enough
  // (Boost's default queue is a std::deque that allocates on every search).
  struct Queue {
    std::vector<Graph::vertex_descriptor> items;
    size_t head = 0, tail = 0;
    void push(Graph::vertex_descriptor v) { items[tail++] = v; }
    void pop() { ++head; }
    Graph::vertex_descriptor& top() { return items[head]; }
    bool empty() const { return head == tail; }
    size_t size() const { return tail - head; }
  };

  std::vector<boost::default_color_type> color_;
  std::vector<int> dist_;
  Queue queue_;
  int source_ = -1;
};

}  // namespace moesim::graphs
