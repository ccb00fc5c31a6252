#include "param_table.hpp"

namespace moesim::models {

size_t ParamTable::add(std::string name, std::vector<int> shape, bool decay, int width) {
  for (const auto& v : views_)
    if (v.name == name) throw std::invalid_argument("parameter tensor '" + name + "' added twice");
  size_t size = 1;
  for (int d : shape) {
    if (d < 0) throw std::invalid_argument("parameter tensor '" + name + "' has a negative dimension");
    size *= static_cast<size_t>(d);
  }
  if (width < 0) throw std::invalid_argument("parameter tensor '" + name + "' has a negative width");
  views_.push_back({std::move(name), std::move(shape), total_, size, decay, width});
  total_ += size;
  return views_.back().offset;
}

const TensorView& ParamTable::operator[](const std::string& name) const {
  for (const auto& v : views_)
    if (v.name == name) return v;
  throw std::out_of_range("no parameter tensor named '" + name + "'");
}

}  // namespace moesim::models
