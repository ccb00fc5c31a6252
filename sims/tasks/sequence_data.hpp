#pragma once
// Sequence data for the Transformer: each example is a prompt followed by the tokens the model must
// generate (marked by `predict`). Training minimises next-token cross-entropy on the predicted tokens;
// the metric is exact match of the whole greedy continuation. SequenceTaskRun is the TaskRun of any task
// with a fixed training set of such examples (phone book, shortest path).
#include <cstdint>
#include <vector>

#include "tasks/batch_order.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {

struct SequenceExample {
  std::vector<int> tokens;
  std::vector<char> predict;  // 1 on the tokens in the training loss
  int prompt = 0;             // the metric gives the model tokens[0, prompt) and asks for the rest
};

struct SequenceData {
  int vocab = 0;
  int pad = 0;      // padding token
  int max_len = 0;  // longest model input: an example's tokens but the last
  std::vector<SequenceExample> train, test;
};

// Exact match of greedy decoding over the first `limit` examples: the generated continuation of the
// prompt must equal the predicted tokens exactly (EOS included). Inputs never exceed `max_len`.
double exact_match(models::Model<float>& model, int vocab, int max_len, const std::vector<SequenceExample>& examples,
                   int limit);

// Examples as one batch: padded with `pad` to the longest; targets the next token; the loss weights 1 over
// the batch's predicted tokens.
models::Batch sequence_batch(const std::vector<SequenceExample>& examples, int pad);

class SequenceTaskRun : public TaskRun {
 public:
  SequenceTaskRun(SequenceData data, uint64_t seed) : data_(std::move(data)), order_(int(data_.train.size()), seed) {}
  TaskShape shape() const override { return {.vocab = data_.vocab, .max_len = data_.max_len}; }
  // `size` training examples in the epoch order, padded to the longest; the loss weights are 1 over the
  // batch's predicted tokens.
  models::Batch batch(long step, int size) override;
  Scores evaluate(models::Model<float>& model, int limit) override;
  const SequenceData& data() const { return data_; }

 protected:
  SequenceData data_;
  BatchOrder order_;
};

}  // namespace moesim::sims
