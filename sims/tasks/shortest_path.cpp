#include "tasks/shortest_path.hpp"

#include <algorithm>

#include "graph_output.hpp"
#include "graphs/encode.hpp"
#include "graphs/instances.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"
#include "tasks/split_seed.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

std::vector<SequenceExample> shortest_path_examples(int nodes, double p, uint64_t stream_seed, uint64_t first, int count,
                                                    int min_hops) {
  std::vector<SequenceExample> out(count);
  std::string error;  // exceptions must not leave an OpenMP region
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < count; ++i) {
    try {
      graphs::Rng rng(stream_seed, first + uint64_t(i));
      const auto e = graphs::encode_sequence(graphs::shortest_path_instance(nodes, p, rng, min_hops));
      const int prompt = int(std::find(e.predict.begin(), e.predict.end(), 1) - e.predict.begin());
      out[i] = {e.tokens, e.predict, prompt};
    } catch (const std::exception& e) {
#pragma omp critical
      if (error.empty()) error = e.what();
    }
  }
  if (!error.empty()) throw UsageError(error);
  return out;
}

SequenceData make_shortest_path(int nodes, double p, int train, int test, uint64_t seed, int min_hops) {
  SequenceData data{.vocab = graphs::SequenceVocab{nodes}.size(), .pad = graphs::SequenceVocab::pad};
  data.train = shortest_path_examples(nodes, p, split_seed(seed, Split::Train), 0, train, min_hops);
  data.test = shortest_path_examples(nodes, p, split_seed(seed, Split::Test), 0, test, min_hops);
  for (const auto* set : {&data.train, &data.test})
    for (const auto& e : *set) data.max_len = std::max(data.max_len, int(e.tokens.size()) - 1);
  return data;
}

void check_min_hops(long nodes, long min_hops) {
  if (min_hops > nodes - 1)
    throw UsageError("--min-hops: " + std::to_string(min_hops) + " is longer than any path on " +
                     std::to_string(nodes) + " vertices (accepted: 1 .. nodes - 1)");
}

int shortest_path_max_len(int nodes) {
  // BOS, 3 tokens per arc, SEP s t /, a path of up to n vertices, EOS; the model reads all but the last.
  return 1 + 3 * nodes * (nodes - 1) + 4 + nodes + 1 - 1;
}

double one_hop_share(const std::vector<SequenceExample>& examples) {
  if (examples.empty()) return 0;
  long one_hop = 0;
  for (const auto& e : examples) one_hop += e.tokens.size() - e.prompt == 3;  // s t EOS
  return double(one_hop) / double(examples.size());
}

double smallest_middle_share(const std::vector<SequenceExample>& examples) {
  if (examples.empty()) return 0;
  const graphs::SequenceVocab voc{0};  // vertex(v) = 1 + v whatever n
  long hits = 0;
  for (const auto& e : examples) {
    if (e.tokens.size() - e.prompt != 4) continue;  // s m t EOS
    const int s = e.tokens[e.prompt], m = e.tokens[e.prompt + 1], t = e.tokens[e.prompt + 2];
    int smallest = voc.vertex(0);
    while (smallest == s || smallest == t) ++smallest;
    hits += m == smallest;
  }
  return double(hits) / double(examples.size());
}

namespace shortest_path_task {

OptionSpec min_hops_option() {
  return int_option("min-hops", 1, 1, 4999,
                    "ask only about pairs whose shortest path has at least this many arcs (2: no one-hop queries)");
}


// A fixed training set visited in epochs, or (train-size 0) fresh examples from the training stream at
// every step; the test set from its own stream.
class Run : public SequenceTaskRun {
 public:
  Run(int nodes, double p, int min_hops, int train_size, int test_size, int seen, uint64_t seed)
      : SequenceTaskRun(make_shortest_path(nodes, p, train_size == 0 ? seen : train_size, test_size, seed, min_hops), seed),
        nodes_(nodes), min_hops_(min_hops), p_(p), fresh_(train_size == 0), train_seed_(split_seed(seed, Split::Train)) {
    if (fresh_) data_.max_len = shortest_path_max_len(nodes);
  }
  models::Batch batch(long step, int size) override {
    if (!fresh_) return SequenceTaskRun::batch(step, size);
    return sequence_batch(
        shortest_path_examples(nodes_, p_, train_seed_, uint64_t(step) * uint64_t(size), size, min_hops_), data_.pad);
  }
  // The graph-blind guesses: "s t", and "s m t" with m the smallest other vertex.
  std::map<std::string, double> baselines() const override {
    return {{"answer_s_t", one_hop_share(data_.test)}, {"answer_s_m_t", smallest_middle_share(data_.test)}};
  }
  nlohmann::json record() const override { return {{"p", p_}, {"fresh_training_data", fresh_}}; }

 private:
  int nodes_, min_hops_;
  double p_;
  bool fresh_;
  uint64_t train_seed_;
};

// The splits as `moesim data` writes them: train (the fixed set, or the fresh stream with train-size 0: batch
// s of size B holds examples s B .. s B + B - 1) and test, each from its split_seed stream.
class Data : public TaskData {
 public:
  Data(int nodes, double p, int min_hops, long train, long test, uint64_t seed)
      : nodes_(nodes), min_hops_(min_hops), p_(p), train_(train == 0 ? DataSplit::kUnbounded : train), test_(test),
        seed_(seed) {}
  std::vector<DataSplit> splits() const override {
    return {{"train", train_, "the training examples (with --train-size 0: the fresh stream, batch s = examples s*B ..)"},
            {"test", test_, "the test set"}};
  }
  void write(const std::string& split, long first, long count, DataFormat format, TextBuffer& out) const override {
    const uint64_t stream = split_seed(seed_, split == "train" ? Split::Train : Split::Test);
    for (long i = first; i < first + count; ++i) {
      graphs::Rng rng(stream, uint64_t(i));
      append_instance(out, graphs::shortest_path_instance(nodes_, p_, rng, min_hops_), graphs::Task::ShortestPath,
                      format == DataFormat::Jsonl ? GraphFormat::Jsonl : GraphFormat::Tokens);
    }
  }

 private:
  int nodes_, min_hops_;
  double p_;
  long train_, test_;
  uint64_t seed_;
};

Task make() {
  return {.name = "shortest-path",
          .version = 2,  // 2: split streams by split_seed.hpp; fresh training data
          .help = "generate the shortest path between two vertices of a random graph (exact match)",
          .family = Family::Transformer,
          .options = {nodes_option(), p_option(), mean_path_option(), min_hops_option(), train_size_option(),
                      test_size_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const auto& t = o.task_options;
            return std::make_unique<Run>(int(t.integer("nodes")), graph_p(o, 0.25), int(t.integer("min-hops")),
                                         int(t.integer("train-size")), int(t.integer("test-size")),
                                         o.fresh_train_split(), o.seed);
          },
          .check = [](const RunOptions& o) {
            check_mean_path(o);
            check_min_hops(o.task_options.integer("nodes"), o.task_options.integer("min-hops"));
          },
          .train_examples = {},
          .data = [](const RunOptions& o) -> std::unique_ptr<TaskData> {
            const auto& t = o.task_options;
            return std::make_unique<Data>(int(t.integer("nodes")), graph_p(o, 0.25), int(t.integer("min-hops")),
                                          t.integer("train-size"), t.integer("test-size"), o.seed);
          },
          .examples = {{{"nodes", "5"}, {"p", "0.4"}, {"train-size", "17"}, {"test-size", "5"}},
                       {{"nodes", "9"}, {"p", "0.3"}, {"train-size", "0"}, {"test-size", "9"}},
                       {{"nodes", "7"}, {"p", "0.35"}, {"min-hops", "2"}, {"train-size", "11"}, {"test-size", "6"}}}};
}

}  // namespace shortest_path_task

MOESIM_REGISTER_TASK(shortest_path, shortest_path_task::make);

}  // namespace moesim::sims
