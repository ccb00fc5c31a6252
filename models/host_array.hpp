#pragma once
// n values in the backend's host memory (pinned on a GPU): where a recorded step's downloads land
// (models/train_step.hpp). It stays where it is for its lifetime.
#include <cstddef>

#include "backend.hpp"

namespace moesim::models {

template <class T, class U>
class HostArray {
 public:
  HostArray(Backend<T>& backend, size_t n)
      : backend_(backend), data_(static_cast<U*>(backend.alloc_host(n * sizeof(U)))), n_(n) {
    for (size_t i = 0; i < n; ++i) data_[i] = U{};
  }
  ~HostArray() { backend_.release_host(data_); }
  HostArray(const HostArray&) = delete;
  HostArray& operator=(const HostArray&) = delete;

  U* data() { return data_; }
  const U* data() const { return data_; }
  U& operator[](size_t i) { return data_[i]; }
  const U& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return n_; }

 private:
  Backend<T>& backend_;
  U* data_;
  size_t n_;
};

}  // namespace moesim::models
