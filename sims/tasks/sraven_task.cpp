// SRAVEN as a task (docs/claims.md: claim 3, [SRAVEN]; the generator is tasks/sraven.hpp): a bidirectional Transformer
// reads panels 1-8 and K query tokens and predicts panel 9's K values at the query positions. Problems
// are generated on the fly, so training never repeats one.
//
// Scores: train = all-K accuracy on the first training problems; test = all-K accuracy on the OOD set (the
// headline); metrics, for the in-distribution test set (id_) and the OOD set (ood_): all-K accuracy (id,
// ood), per feature (_feature), on the problems whose eight panels admit one answer (_unique), and as a
// share of the set's ceiling (_normalized: the Bayes-optimal guess's accuracy, sraven_posterior.hpp).
#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "run_options.hpp"
#include "tasks/common_options.hpp"
#include "tasks/sraven.hpp"
#include "tasks/sraven_posterior.hpp"
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

// Per problem: all K values right; and the per-feature accuracy over the problems. In batches of 128.
struct Marks {
  std::vector<char> right;  // (problems,)
  double per_feature = 0;
};

Marks mark(models::Model<float>& model, const std::vector<SravenProblem>& problems) {
  Marks m;
  if (problems.empty()) return m;
  const int K = problems.front().features, L = 9 * K, V = kSravenValues + 1;
  long features = 0;
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
      features += right;
      m.right.push_back(right == K);
    }
  }
  m.per_feature = double(features) / double(problems.size() * K);
  return m;
}

// A test set with what its eight panels allow: the ceiling (the mean chance of the Bayes-optimal guess) and
// which problems have one answer.
struct Scored {
  std::vector<SravenProblem> problems;
  std::vector<char> unique;
  double ceiling = 0, unique_share = 0;
  long truncated = 0;
};

Scored score(std::vector<SravenProblem> problems, const std::vector<std::vector<int>>& split) {
  Scored s{.problems = std::move(problems)};
  const std::set<std::vector<int>> multisets(split.begin(), split.end());
  s.unique.resize(s.problems.size());
  double best = 0;
  long unique = 0, truncated = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : best, unique, truncated)
  for (size_t i = 0; i < s.problems.size(); ++i) {
    const SravenPosterior post = sraven_posterior(s.problems[i], multisets);
    best += post.best, unique += post.unique, truncated += post.truncated;
    s.unique[i] = post.unique;
  }
  const double n = double(std::max<size_t>(1, s.problems.size()));
  s.ceiling = best / n, s.unique_share = double(unique) / n, s.truncated = truncated;
  return s;
}

class Run : public TaskRun {
 public:
  Run(int features, int pool, int test_count, int seen, uint64_t seed, uint64_t split_seed)
      : features_(features), seed_(seed), splits_(sraven_splits(features, pool, split_seed)) {
    id_ = score(draw(SravenSplit::Test, 0, test_count), splits_.in_distribution);
    ood_ = score(draw(SravenSplit::Ood, 0, test_count), splits_.held_out);
    seen_ = draw(SravenSplit::Train, 0, seen);  // the first batches trained on
  }
  TaskShape shape() const override {
    return {.vocab = kSravenValues + 1, .max_len = 9 * features_, .bidirectional = true};
  }
  models::Batch batch(long step, int size) override { return problems_batch(draw(SravenSplit::Train, step * size, size)); }
  Scores evaluate(models::Model<float>& model, int) override {
    const Marks train = mark(model, seen_), id = mark(model, id_.problems), ood = mark(model, ood_.problems);
    Scores s{share(train.right), share(ood.right), {}};
    for (const auto& [name, set, marks] : {std::tuple{"id", &id_, &id}, std::tuple{"ood", &ood_, &ood}}) {
      const std::string n = name;
      const double all = share(marks->right);
      s.metrics[n] = all;
      s.metrics[n + "_feature"] = marks->per_feature;
      s.metrics[n + "_unique"] = share(marks->right, &set->unique);    // on the problems with one answer
      s.metrics[n + "_normalized"] = set->ceiling > 0 ? all / set->ceiling : 0;  // as a share of the ceiling
    }
    s.metrics["train_feature"] = train.per_feature;
    return s;
  }
  // Guessing each of the K values uniformly: all K right with probability F^-K. And the ceilings: the
  // Bayes-optimal guess's accuracy given the eight panels.
  std::map<std::string, double> baselines() const override {
    return {{"chance", std::pow(1.0 / kSravenValues, features_)}, {"id_ceiling", id_.ceiling},
            {"ood_ceiling", ood_.ceiling}};
  }
  nlohmann::json record() const override {
    return {{"split_seed", splits_.split_seed},
            {"split_attempt", splits_.attempt},
            {"held_out", splits_.held_out},
            {"id_ceiling", id_.ceiling},
            {"ood_ceiling", ood_.ceiling},
            {"id_unique_share", id_.unique_share},
            {"ood_unique_share", ood_.unique_share},
            {"posteriors_truncated", id_.truncated + ood_.truncated}};
  }

 private:
  // The share of `right` (among the problems `among` marks, if given).
  static double share(const std::vector<char>& right, const std::vector<char>* among = nullptr) {
    long n = 0, k = 0;
    for (size_t i = 0; i < right.size(); ++i)
      if (!among || (*among)[i]) ++n, k += right[i];
    return n ? double(k) / double(n) : 0.0;
  }
  std::vector<SravenProblem> draw(SravenSplit split, long first, int count) const {
    std::vector<SravenProblem> out;
    for (int i = 0; i < count; ++i) out.push_back(sraven_problem(splits_, features_, split, seed_, uint64_t(first + i)));
    return out;
  }
  int features_;
  uint64_t seed_;
  SravenSplits splits_;
  Scored id_, ood_;
  std::vector<SravenProblem> seen_;
};

// The splits as `moesim data` writes them: train (the stream without end: batch s of size B holds problems
// s B .. s B + B - 1), test (in-distribution) and ood (held-out rule multisets), each problem from its own
// stream of (seed, split, index) (tasks/sraven.hpp).
class Data : public TaskData {
 public:
  Data(int features, int pool, long test_count, uint64_t seed, uint64_t split_seed)
      : features_(features), test_(test_count), seed_(seed), splits_(sraven_splits(features, pool, split_seed)) {}
  std::vector<DataSplit> splits() const override {
    return {{"train", DataSplit::kUnbounded, "the training stream: batch s = problems s*B .."},
            {"test", test_, "the in-distribution test set"},
            {"ood", test_, "the out-of-distribution test set (held-out rule multisets): the headline score"}};
  }
  void write(const std::string& split, long first, long count, DataFormat format, TextBuffer& out) const override {
    const SravenSplit s = split == "train" ? SravenSplit::Train : split == "test" ? SravenSplit::Test : SravenSplit::Ood;
    for (long i = first; i < first + count; ++i) {
      const SravenProblem p = sraven_problem(splits_, features_, s, seed_, uint64_t(i));
      if (format == DataFormat::Jsonl) {
        append_sraven_jsonl(out, p);
        continue;
      }
      append_ints(out, sraven_tokens(p));
      out.push_back('\t');
      append_ints(out, p.target());
      out.push_back('\n');
    }
  }

 private:
  int features_;
  long test_;
  uint64_t seed_;
  SravenSplits splits_;
};

Task make() {
  return {.name = "sraven",
          .version = 2,  // 2: held-out multisets drawn from the split seed, floor(n/4) of them, every rule on both sides
          .help = "symbolic Raven matrices: predict the ninth panel (bidirectional Transformer; OOD accuracy)",
          .family = Family::Transformer,
          .options = {int_option("features", 4, 2, 16, "SRAVEN features (and rules) per problem K"),
                      int_option("rule-pool", kSravenRules, 1, kSravenRules, "SRAVEN rules drawn from: ids 0..rule-pool-1"),
                      int_option("split-seed", -1, -1, 4611686018427387903,
                                 "seed of the held-out multisets (-1: the run's seed, as the authors' code does)"),
                      test_size_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const auto& t = o.task_options;
            const int64_t split = t.integer("split-seed");
            return std::make_unique<Run>(int(t.integer("features")), int(t.integer("rule-pool")),
                                         int(t.integer("test-size")), o.fresh_train_split(), o.seed,
                                         split < 0 ? o.seed : uint64_t(split));
          },
          .check = [](const RunOptions& o) {  // a split with every rule on both sides must exist
            const auto& t = o.task_options;
            sraven_splits(int(t.integer("features")), int(t.integer("rule-pool")), 0);
          },
          .train_examples = {},
          .data = [](const RunOptions& o) -> std::unique_ptr<TaskData> {
            const auto& t = o.task_options;
            const int64_t split = t.integer("split-seed");
            return std::make_unique<Data>(int(t.integer("features")), int(t.integer("rule-pool")),
                                          t.integer("test-size"), o.seed, split < 0 ? o.seed : uint64_t(split));
          },
          .examples = {{{"features", "2"}, {"rule-pool", "4"}, {"test-size", "9"}},
                       {{"features", "3"}, {"rule-pool", "4"}, {"test-size", "16"}}}};
}

}  // namespace sraven_task

MOESIM_REGISTER_TASK(sraven, sraven_task::make);

}  // namespace moesim::sims
