#pragma once
// Binary classification data for the one-layer model: fixed-length inputs (tokens or real vectors) and
// labels in {-1, +1}; the metric is the accuracy of sign(output). ClassificationTaskRun is the TaskRun of
// any task with a fixed training set of such inputs (length-2 path, Gaussian memorisation).
#include <cstdint>
#include <vector>

#include "tasks/batch_order.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {

struct ClassificationSet {
  int count = 0;
  std::vector<int> tokens;    // (count, N) for token tasks
  std::vector<float> x;       // (count, N, input_dim) for real-vector tasks
  std::vector<float> labels;  // (count,) in {-1, +1}
};

struct ClassificationData {
  int vocab = 0;      // token tasks
  int input_dim = 0;  // real-vector tasks
  int N = 0;          // sequence length
  ClassificationSet train, test;
};

// Accuracy of sign(output) over the first `limit` examples of `set`.
double accuracy(models::Model<float>& model, const ClassificationData& data, const ClassificationSet& set, int limit);
// The share of the more frequent label in `set`: the majority-class baseline.
double majority_share(const ClassificationSet& set);

class ClassificationTaskRun : public TaskRun {
 public:
  ClassificationTaskRun(ClassificationData data, uint64_t seed)
      : data_(std::move(data)), order_(data_.train.count, seed) {}
  TaskShape shape() const override { return {.vocab = data_.vocab, .input_dim = data_.input_dim, .max_len = data_.N}; }
  // `size` training inputs in the epoch order with their labels.
  models::Batch batch(long step, int size) override;
  Scores evaluate(models::Model<float>& model, int limit) override;
  const ClassificationData& data() const { return data_; }

 protected:
  ClassificationData data_;
  BatchOrder order_;
};

}  // namespace moesim::sims
