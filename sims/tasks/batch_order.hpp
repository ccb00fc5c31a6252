#pragma once
// Training examples 0..n-1 visited in a fresh random order each epoch, deterministically from the seed.
#include <numeric>
#include <vector>

#include "graphs/rng.hpp"

namespace moesim::sims {

class BatchOrder {
 public:
  BatchOrder(int n, uint64_t seed) : order_(n), rng_(seed, 0xBA7C4) { shuffle(); }
  int next() {
    if (pos_ == order_.size()) shuffle();
    return order_[pos_++];
  }

 private:
  void shuffle() {
    std::iota(order_.begin(), order_.end(), 0);
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng_.below(i)]);
    pos_ = 0;
  }
  std::vector<int> order_;
  graphs::Rng rng_;
  size_t pos_ = 0;
};

}  // namespace moesim::sims
