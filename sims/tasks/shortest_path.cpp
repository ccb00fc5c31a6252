#include "tasks/shortest_path.hpp"

#include <algorithm>

#include "graphs/encode.hpp"
#include "graphs/instances.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

SequenceData make_shortest_path(int nodes, double p, int train, int test, uint64_t seed) {
  const graphs::SequenceVocab voc{nodes};
  SequenceData data{.vocab = voc.size(), .pad = graphs::SequenceVocab::pad};
  auto add = [&](std::vector<SequenceExample>& out, uint64_t stream_seed, int count) {
    for (const auto& inst : graphs::sample({graphs::Task::ShortestPath, nodes, p, count, stream_seed})) {
      const auto e = graphs::encode_sequence(inst);
      const int prompt = int(std::find(e.predict.begin(), e.predict.end(), 1) - e.predict.begin());
      out.push_back({e.tokens, e.predict, prompt});
      data.max_len = std::max(data.max_len, int(e.tokens.size()) - 1);
    }
  };
  add(data.train, graphs::Rng::splitmix64(seed), train);  // two seeds derived apart: disjoint streams
  uint64_t s2 = seed ^ 0x5DEECE66Dull;
  add(data.test, graphs::Rng::splitmix64(s2), test);
  return data;
}

double one_hop_share(const std::vector<SequenceExample>& examples) {
  if (examples.empty()) return 0;
  long one_hop = 0;
  for (const auto& e : examples) one_hop += e.tokens.size() - e.prompt == 3;  // s t EOS
  return double(one_hop) / double(examples.size());
}

namespace shortest_path_task {

class Run : public SequenceTaskRun {
 public:
  Run(SequenceData data, uint64_t seed, double p) : SequenceTaskRun(std::move(data), seed), p_(p) {}
  std::map<std::string, double> baselines() const override { return {{"answer_s_t", one_hop_share(data_.test)}}; }
  nlohmann::json record() const override { return {{"p", p_}}; }

 private:
  double p_;
};

Task make() {
  return {.name = "shortest-path",
          .help = "generate the shortest path between two vertices of a random graph (exact match)",
          .family = Family::Transformer,
          .options = {nodes_option(), p_option(), mean_path_option(), train_size_option(), test_size_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const double p = graph_p(o);
            const auto& t = o.task_options;
            return std::make_unique<Run>(make_shortest_path(int(t.integer("nodes")), p, int(t.integer("train-size")),
                                                            int(t.integer("test-size")), o.seed),
                                         o.seed, p);
          },
          .check = check_mean_path,
          .examples = {{{"nodes", "5"}, {"p", "0.4"}, {"train-size", "17"}, {"test-size", "5"}},
                       {{"nodes", "9"}, {"p", "0.3"}, {"train-size", "40"}, {"test-size", "9"}}}};
}

}  // namespace shortest_path_task

MOESIM_REGISTER_TASK(shortest_path, shortest_path_task::make);

}  // namespace moesim::sims
