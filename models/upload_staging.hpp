#pragma once
// A batch's inputs for adjacent tensors of the arena, staged on the host in the arena's layout and sent in
// one upload: a training step's one host-to-device transfer. Arena tensors start at multiples of 64 bytes,
// so each piece is as aligned in the staging buffer as in the arena and is written there in place. The
// buffer is the backend's host memory (pinned on a GPU) and only moves when a larger span needs it, so a
// recorded step can replay the upload (models/train_step.hpp); moves() counts those moves.
#include <cstring>
#include <type_traits>

#include "backend.hpp"

namespace moesim::models {

template <class T>
class UploadStaging {
 public:
  explicit UploadStaging(Backend<T>& backend) : backend_(backend) {}
  ~UploadStaging() {
    if (host_) backend_.release_host(host_);
  }
  UploadStaging(const UploadStaging&) = delete;
  UploadStaging& operator=(const UploadStaging&) = delete;

  // Starts a transfer into the backend's bytes [first, end).
  void begin(void* first, const void* end) {
    first_ = static_cast<char*>(first);
    bytes_ = size_t(static_cast<const char*>(end) - first_);
    if (bytes_ > capacity_) {
      if (host_) backend_.release_host(host_);
      host_ = nullptr;
      host_ = static_cast<char*>(backend_.alloc_host(bytes_));
      capacity_ = bytes_;
      ++moves_;
    }
  }

  // `n` values of `src`, converted to U, bound for the arena tensor at `dst` (inside the span).
  template <class U, class S>
  void put(U* dst, const S* src, size_t n) {
    U* host = reinterpret_cast<U*>(host_ + (reinterpret_cast<char*>(dst) - first_));
    if constexpr (std::is_same_v<U, S>) {
      std::memcpy(host, src, n * sizeof(U));
    } else {
      for (size_t i = 0; i < n; ++i) host[i] = U(src[i]);
    }
  }

  void send() { backend_.upload(first_, host_, bytes_); }

  long moves() const { return moves_; }

 private:
  Backend<T>& backend_;
  char* first_ = nullptr;
  char* host_ = nullptr;
  size_t bytes_ = 0, capacity_ = 0;
  long moves_ = 0;
};

}  // namespace moesim::models
