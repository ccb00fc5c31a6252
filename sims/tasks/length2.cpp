#include "tasks/length2.hpp"

#include <algorithm>

#include "graphs/encode.hpp"
#include "graphs/instances.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

ClassificationData make_length2(int nodes, double p, int train, int test, uint64_t seed) {
  const graphs::Length2Vocab voc{nodes};
  ClassificationData data{.vocab = voc.size(), .input_dim = 0, .N = voc.length()};
  auto fill = [&](ClassificationSet& set, uint64_t stream_seed, int count) {
    set.count = count;
    for (const auto& inst : graphs::sample({graphs::Task::Length2, nodes, p, count, stream_seed})) {
      const auto tokens = graphs::encode_length2(inst);
      set.tokens.insert(set.tokens.end(), tokens.begin(), tokens.end());
      set.labels.push_back(inst.label ? 1.0f : -1.0f);
    }
  };
  fill(data.train, graphs::Rng::splitmix64(seed), train);
  uint64_t s2 = seed ^ 0x5DEECE66Dull;
  fill(data.test, graphs::Rng::splitmix64(s2), test);
  return data;
}

double arc_count_baseline(const ClassificationSet& set, int N) {
  if (set.count == 0) return 0;
  // positives[c], negatives[c]: inputs with c arcs (tokens other than EMPTY and QUERY).
  std::vector<long> positives(N + 1, 0), negatives(N + 1, 0);
  for (int i = 0; i < set.count; ++i) {
    int arcs = 0;
    for (int t = 0; t < N; ++t) {
      const int token = set.tokens[size_t(i) * N + t];
      arcs += token != graphs::Length2Vocab::empty && token != graphs::Length2Vocab::query;
    }
    (set.labels[i] > 0 ? positives : negatives)[arcs]++;
  }
  // "positive iff arcs >= c" for every c, and its reverse.
  long below_pos = 0, below_neg = 0, total_pos = 0, total_neg = 0;
  for (int c = 0; c <= N; ++c) total_pos += positives[c], total_neg += negatives[c];
  long best = std::max(total_pos, total_neg);
  for (int c = 0; c <= N; ++c) {
    below_pos += positives[c], below_neg += negatives[c];  // arcs <= c
    const long above = below_neg + (total_pos - below_pos);  // positive iff arcs > c
    best = std::max({best, above, long(set.count) - above});
  }
  return double(best) / set.count;
}

namespace length2_task {

class Run : public ClassificationTaskRun {
 public:
  Run(ClassificationData data, uint64_t seed, double p) : ClassificationTaskRun(std::move(data), seed), p_(p) {}
  std::map<std::string, double> baselines() const override {
    return {{"majority", majority_share(data_.test)}, {"arc_count", arc_count_baseline(data_.test, data_.N)}};
  }
  nlohmann::json record() const override { return {{"p", p_}}; }

 private:
  double p_;
};

Task make() {
  return {.name = "length2",
          .help = "is there a path of length 2 from s to d? (one-layer model; accuracy)",
          .family = Family::OneLayer,
          .options = {nodes_option(), p_option(), mean_path_option(), train_size_option(), test_size_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const double p = graph_p(o);
            const auto& t = o.task_options;
            return std::make_unique<Run>(make_length2(int(t.integer("nodes")), p, int(t.integer("train-size")),
                                                      int(t.integer("test-size")), o.seed),
                                         o.seed, p);
          },
          .check = check_mean_path,
          .examples = {{{"nodes", "5"}, {"p", "0.5"}, {"train-size", "9"}, {"test-size", "7"}},
                       {{"nodes", "8"}, {"p", "0.3"}, {"train-size", "64"}, {"test-size", "33"}}}};
}

}  // namespace length2_task

MOESIM_REGISTER_TASK(length2, length2_task::make);

}  // namespace moesim::sims
