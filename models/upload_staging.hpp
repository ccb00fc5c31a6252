#pragma once
// A batch's inputs for adjacent tensors of the arena, staged on the host in the arena's layout and sent in
// one upload: a training step's one host-to-device transfer. Arena tensors start at multiples of 64 bytes,
// so each piece is as aligned in the staging buffer as in the arena and is written there in place.
#include <cstring>
#include <type_traits>
#include <vector>

#include "backend.hpp"

namespace moesim::models {

class UploadStaging {
 public:
  // Starts a transfer into the backend's bytes [first, end).
  void begin(void* first, const void* end) {
    first_ = static_cast<char*>(first);
    host_.resize(size_t(static_cast<const char*>(end) - first_));
  }

  // `n` values of `src`, converted to U, bound for the arena tensor at `dst` (inside the span).
  template <class U, class S>
  void put(U* dst, const S* src, size_t n) {
    U* host = reinterpret_cast<U*>(host_.data() + (reinterpret_cast<char*>(dst) - first_));
    if constexpr (std::is_same_v<U, S>) {
      std::memcpy(host, src, n * sizeof(U));
    } else {
      for (size_t i = 0; i < n; ++i) host[i] = U(src[i]);
    }
  }

  template <class T>
  void send(Backend<T>& backend) {
    backend.upload(first_, host_.data(), host_.size());
  }

 private:
  char* first_ = nullptr;
  std::vector<char> host_;
};

}  // namespace moesim::models
