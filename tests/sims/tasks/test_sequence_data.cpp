// Sequence data as the trainer meets it: padded batches whose loss weights cover exactly the predicted
// tokens, and exact match of greedy decoding against a model whose answers are set by hand.
#include <catch2/catch.hpp>

#include "tasks/sequence_data.hpp"

using namespace moesim;
using namespace moesim::sims;

namespace {

// Predicts, at every position, the token `answer[t]` where t is the position (one-hot logits).
class Scripted : public models::Model<float> {
 public:
  Scripted(int vocab, std::vector<int> answer) : vocab_(vocab), answer_(std::move(answer)) {}
  models::ParamStore<float>& store() override { throw std::logic_error("no parameters"); }
  void stage(const models::Batch& b) override {  // the whole forward pass
    logits_.assign(size_t(b.B) * b.T * vocab_, 0.0f);
    for (int r = 0; r < b.B; ++r)
      for (int t = 0; t < b.T; ++t) logits_[(size_t(r) * b.T + t) * vocab_ + answer_[t % answer_.size()]] = 1.0f;
  }
  void enqueue_forward() override {}
  double staged_loss() const override { return 0; }
  long layout() const override { return 0; }
  void backward() override {}
  std::vector<float> outputs() override { return logits_; }

 private:
  int vocab_;
  std::vector<int> answer_;
  std::vector<float> logits_;
};

// The shared run with no baselines of its own (every real task declares some).
class SequencePlain : public SequenceTaskRun {
 public:
  using SequenceTaskRun::SequenceTaskRun;
  std::map<std::string, double> baselines() const override { return {}; }
};

}  // namespace

TEST_CASE("sequence_data: batches pad to the longest example and weigh only the predicted tokens",
          "[sims][sequence_data]") {
  SequenceData d{.vocab = 10, .pad = 0, .max_len = 4};
  d.train = {{{1, 2, 3}, {0, 0, 1}, 2}, {{4, 5, 6, 7, 8}, {0, 0, 1, 1, 1}, 2}};
  SequencePlain run(d, 1);
  const auto b = run.batch(0, 4);  // two epochs of two examples
  REQUIRE(b.B == 4);
  REQUIRE(b.T == 4);  // the longest input: 5 tokens but the last
  float total = 0;
  int nonzero = 0;
  for (size_t i = 0; i < b.weights.size(); ++i) {
    total += b.weights[i];
    nonzero += b.weights[i] > 0;
    if (b.weights[i] > 0) REQUIRE(b.targets[i] != 0);
  }
  REQUIRE(total == Approx(1.0));  // the mean over the batch's predicted tokens
  REQUIRE(nonzero == 2 * 1 + 2 * 3);
}

TEST_CASE("sequence_data: exact match needs every generated token, EOS included", "[sims][sequence_data]") {
  // Prompt of 2 tokens, then the answer 5 6 and EOS 9: the scripted model answers position t with answer[t].
  const std::vector<SequenceExample> examples{{{1, 2, 5, 6, 9}, {0, 0, 1, 1, 1}, 2}};
  Scripted right(10, {0, 5, 6, 9, 0}), wrong_eos(10, {0, 5, 6, 8, 0}), wrong_path(10, {0, 5, 7, 9, 0});
  REQUIRE(exact_match(right, 10, 8, examples, 10) == 1.0);
  REQUIRE(exact_match(wrong_eos, 10, 8, examples, 10) == 0.0);
  REQUIRE(exact_match(wrong_path, 10, 8, examples, 10) == 0.0);
  REQUIRE(exact_match(right, 10, 8, examples, 0) == 0.0);  // nothing scored
}
