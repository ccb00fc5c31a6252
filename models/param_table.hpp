#pragma once
// The parameter layout, after llm.c: every tensor of a model is a named view (name, shape, offset) into
// one flat buffer. Parameters, gradients and AdamW's two moments share the layout, so a checkpoint is one
// write, a CPU<->GPU comparison one copy, and AdamW and the gradient norm are flat loops.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace moesim::models {

struct TensorView {
  std::string name;
  std::vector<int> shape;
  size_t offset = 0;      // in elements, into the flat buffer
  size_t size = 0;        // product of shape
  bool decay = true;      // AdamW weight decay applies (false for norms and biases)
  int width = 0;          // a matrix's fan-in when it grows with the model's width (AdamW's lr_width), else 0
};

class ParamTable {
 public:
  // Appends a tensor; returns its offset. Names are unique and dimensions >= 0 (std::invalid_argument).
  size_t add(std::string name, std::vector<int> shape, bool decay = true, int width = 0);
  const TensorView& operator[](const std::string& name) const;
  const std::vector<TensorView>& views() const { return views_; }
  size_t total() const { return total_; }

 private:
  std::vector<TensorView> views_;
  size_t total_ = 0;
};

}  // namespace moesim::models
