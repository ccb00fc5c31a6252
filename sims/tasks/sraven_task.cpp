// SRAVEN as a task (docs/claims.md: claim 3, [SRAVEN]; the generator is tasks/sraven.hpp): a bidirectional Transformer
// reads panels 1-8 and K query tokens and predicts panel 9's K values at the query positions. Problems
// are generated on the fly, so training never repeats one.
//
// Scores: train = all-K accuracy on the first training problems; test = all-K accuracy on the OOD set (the
// headline); metrics: id, ood (all-K), id_feature, ood_feature, train_feature (per feature).
#include <algorithm>
#include <cmath>

#include "run_options.hpp"
#include "tasks/common_options.hpp"
#include "tasks/sraven.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {
namespace sraven_task {

// Problems as the model sees them: tokens (B, 9K), targets (B, 9K) holding panel 9's values at the K
// query positions, and weights 1/(B K) there (0 elsewhere).
models::Batch problems_batch(const std::vector<SravenProblem>& problems) {
  const int K = problems.front().features, L = 9 * K;
  models::Batch b{.B = int(problems.size()), .T = L};
  for (const auto& p : problems) {
    const auto t = sraven_tokens(p);
    b.tokens.insert(b.tokens.end(), t.begin(), t.end());
    for (int i = 0; i < L; ++i) {
      const bool query = i >= 8 * K;
      b.targets.push_back(query ? p.target()[i - 8 * K] : 0);
      b.weights.push_back(query ? 1.0f / float(problems.size() * K) : 0.0f);
    }
  }
  return b;
}

// (all-K accuracy, per-feature accuracy) over the problems, in batches of 128.
std::pair<double, double> accuracy(models::Model<float>& model, const std::vector<SravenProblem>& problems) {
  if (problems.empty()) return {0, 0};
  const int K = problems.front().features, L = 9 * K, V = kSravenValues + 1;
  long all = 0, features = 0;
  for (size_t i0 = 0; i0 < problems.size(); i0 += 128) {
    const std::vector<SravenProblem> part(problems.begin() + long(i0), problems.begin() + long(std::min(problems.size(), i0 + 128)));
    models::Batch b = problems_batch(part);
    b.targets.clear(), b.weights.clear();  // outputs only
    model.forward(b);
    const auto logits = model.outputs();  // (B, L, V)
    for (size_t p = 0; p < part.size(); ++p) {
      int right = 0;
      for (int k = 0; k < K; ++k) {
        const float* z = logits.data() + (p * L + 8 * K + k) * V;
        right += int(std::max_element(z, z + kSravenValues) - z) == part[p].target()[k];
      }
      features += right, all += right == K;
    }
  }
  return {double(all) / double(problems.size()), double(features) / double(problems.size() * K)};
}

class Run : public TaskRun {
 public:
  Run(int features, int pool, int test_count, int seen, uint64_t seed)
      : features_(features), seed_(seed), splits_(sraven_splits(features, pool)) {
    id_test_ = draw(SravenSplit::Test, 0, test_count);
    ood_test_ = draw(SravenSplit::Ood, 0, test_count);
    seen_ = draw(SravenSplit::Train, 0, seen);  // the first batches trained on
  }
  TaskShape shape() const override {
    return {.vocab = kSravenValues + 1, .max_len = 9 * features_, .bidirectional = true};
  }
  models::Batch batch(long step, int size) override { return problems_batch(draw(SravenSplit::Train, step * size, size)); }
  Scores evaluate(models::Model<float>& model, int) override {
    const auto [train, train_f] = accuracy(model, seen_);
    const auto [id, id_f] = accuracy(model, id_test_);
    const auto [ood, ood_f] = accuracy(model, ood_test_);
    return {train, ood, {{"id", id}, {"ood", ood}, {"id_feature", id_f}, {"ood_feature", ood_f}, {"train_feature", train_f}}};
  }
  // Guessing each of the K values uniformly: all K right with probability F^-K.
  std::map<std::string, double> baselines() const override {
    return {{"chance", std::pow(1.0 / kSravenValues, features_)}};
  }

 private:
  std::vector<SravenProblem> draw(SravenSplit split, long first, int count) const {
    std::vector<SravenProblem> out;
    for (int i = 0; i < count; ++i) out.push_back(sraven_problem(splits_, features_, split, seed_, uint64_t(first + i)));
    return out;
  }
  int features_;
  uint64_t seed_;
  SravenSplits splits_;
  std::vector<SravenProblem> id_test_, ood_test_, seen_;
};

Task make() {
  return {.name = "sraven",
          .help = "symbolic Raven matrices: predict the ninth panel (bidirectional Transformer; OOD accuracy)",
          .family = Family::Transformer,
          .options = {int_option("features", 4, 1, 16, "SRAVEN features (and rules) per problem K"),
                      int_option("rule-pool", kSravenRules, 1, kSravenRules, "SRAVEN rules drawn from: ids 0..rule-pool-1"),
                      test_size_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const auto& t = o.task_options;
            return std::make_unique<Run>(int(t.integer("features")), int(t.integer("rule-pool")),
                                         int(t.integer("test-size")), std::min(o.eval_limit, o.batch * 8), o.seed);
          },
          .check = {},
          .examples = {{{"features", "2"}, {"rule-pool", "3"}, {"test-size", "9"}},
                       {{"features", "3"}, {"rule-pool", "2"}, {"test-size", "16"}}}};
}

}  // namespace sraven_task

MOESIM_REGISTER_TASK(sraven, sraven_task::make);

}  // namespace moesim::sims
