// Classification data as the trainer meets it: batches in epoch order with their labels, the accuracy of
// sign(output), and the majority baseline.
#include <catch2/catch.hpp>

#include "tasks/classification_data.hpp"

using namespace moesim;
using namespace moesim::sims;

namespace {

// Outputs +1 when the first token of the input is even, -1 otherwise.
class Parity : public models::Model<float> {
 public:
  models::ParamStore<float>& store() override { throw std::logic_error("no parameters"); }
  void stage(const models::Batch& b) override {  // the whole forward pass
    out_.clear();
    for (int r = 0; r < b.B; ++r) out_.push_back(b.tokens[size_t(r) * b.T] % 2 == 0 ? 1.0f : -1.0f);
  }
  void enqueue_forward() override {}
  double staged_loss() const override { return 0; }
  long layout() const override { return 0; }
  void backward() override {}
  std::vector<float> outputs() override { return out_; }

 private:
  std::vector<float> out_;
};

// The shared run with no baselines of its own (every real task declares some).
class ClassificationPlain : public ClassificationTaskRun {
 public:
  using ClassificationTaskRun::ClassificationTaskRun;
  std::map<std::string, double> baselines() const override { return {}; }
};

}  // namespace

TEST_CASE("classification_data: an epoch visits every input once, with its label", "[sims][classification_data]") {
  ClassificationData d{.vocab = 10, .N = 2};
  d.train = {.count = 3, .tokens = {0, 1, 2, 3, 4, 5}, .labels = {1, -1, 1}};
  ClassificationPlain run(d, 5);
  const auto b = run.batch(0, 3);
  REQUIRE(b.B == 3);
  REQUIRE(b.T == 2);
  std::vector<int> firsts;
  for (int r = 0; r < 3; ++r) {
    const int first = b.tokens[size_t(r) * 2];
    firsts.push_back(first);
    REQUIRE(b.tokens[size_t(r) * 2 + 1] == first + 1);
    REQUIRE(b.labels[r] == d.train.labels[first / 2]);
  }
  std::sort(firsts.begin(), firsts.end());
  REQUIRE(firsts == std::vector<int>{0, 2, 4});
}

TEST_CASE("classification_data: accuracy of sign(output), and the majority share", "[sims][classification_data]") {
  ClassificationData d{.vocab = 10, .N = 1};
  ClassificationSet set{.count = 4, .tokens = {0, 1, 2, 3}, .labels = {1, -1, -1, -1}};
  Parity model;
  REQUIRE(accuracy(model, d, set, 100) == 0.75);  // 0 right, 1 right, 2 wrong, 3 right
  REQUIRE(accuracy(model, d, set, 2) == 1.0);     // the first two only
  REQUIRE(majority_share(set) == 0.75);
}
