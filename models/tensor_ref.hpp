#pragma once
// A named tensor of a flat buffer by its shape: t(i, j, k) indexes row-major and checks the rank and the
// bounds. For host-side code that sets or reads weights by hand (constructions, protocols), so that it
// names tensors and indices instead of doing offset arithmetic on the buffer.
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace moesim::models {

template <class T>
struct TensorRef {
  T* data = nullptr;
  std::vector<int> shape;
  std::string name;

  size_t size() const {
    size_t n = 1;
    for (int s : shape) n *= size_t(s);
    return n;
  }
  template <class... I>
  T& operator()(I... index) const {
    return data[flat({int(index)...})];
  }

 private:
  size_t flat(std::initializer_list<int> index) const {
    if (data == nullptr) throw std::logic_error(name + ": not in this model");
    if (index.size() != shape.size())
      throw std::out_of_range(name + ": " + std::to_string(index.size()) + " indices for a tensor of rank " +
                              std::to_string(shape.size()));
    size_t at = 0, dim = 0;
    for (int i : index) {
      if (i < 0 || i >= shape[dim]) throw std::out_of_range(name + ": index " + std::to_string(i) + " outside [0, " + std::to_string(shape[dim]) + ")");
      at = at * size_t(shape[dim++]) + size_t(i);
    }
    return at;
  }
};

}  // namespace moesim::models
