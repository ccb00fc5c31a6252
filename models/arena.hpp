#pragma once
// The activation arena: one backend allocation carved into tensors. A model lays out its tensors twice
// with the same code: first to measure (no memory), then for real, so the size always matches the layout.
#include <cstddef>

#include "backend.hpp"

namespace moesim::models {

template <class T>
class Arena {
 public:
  explicit Arena(Backend<T>& backend) : backend_(backend) {}
  ~Arena() { reset(); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Runs `layout(arena)` to measure, grows the allocation if it is too small (it never shrinks: decoding
  // and variable-length batches change shapes every step), then runs it again to hand out pointers.
  template <class Layout>
  void build(Layout&& layout) {
    char* keep = base_;
    base_ = nullptr;
    used_ = 0;
    layout(*this);
    const size_t bytes = used_;
    base_ = keep;
    if (bytes > capacity_) {
      reset();
      base_ = static_cast<char*>(backend_.alloc(bytes));
      capacity_ = bytes;
    }
    used_ = 0;
    layout(*this);
  }

  // `n` elements of U, 64-byte aligned; null while measuring.
  template <class U>
  U* take(size_t n) {
    const size_t offset = (used_ + 63) / 64 * 64;
    used_ = offset + n * sizeof(U);
    return base_ ? reinterpret_cast<U*>(base_ + offset) : nullptr;
  }

  size_t bytes() const { return capacity_; }

  void reset() {
    if (base_) backend_.release(base_);
    base_ = nullptr;
    used_ = capacity_ = 0;
  }

 private:
  Backend<T>& backend_;
  char* base_ = nullptr;
  size_t used_ = 0, capacity_ = 0;
};

}  // namespace moesim::models
