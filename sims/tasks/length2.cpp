#include "tasks/length2.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "graph_output.hpp"
#include "graphs/encode.hpp"
#include "models/init.hpp"
#include "models/one_layer.hpp"
#include "proofs/trained_model_checks.hpp"
#include "run_options.hpp"
#include "sweep/fnv_hash.hpp"
#include "tasks/common_options.hpp"
#include "usage_error.hpp"

namespace moesim::sims {

double balanced_gnp_p(int nodes) { return std::sqrt(std::log(2.0) / double(nodes - 2)); }

graphs::Instance length2_instance(const Length2Spec& s, uint64_t stream_seed, uint64_t i, Length2Labels labels) {
  graphs::Rng rng(stream_seed, i);
  // A coin label hashes (stream, i) with a tag of its own, apart from the graph's Rng(stream, i).
  const bool label = labels == Length2Labels::Alternating
                         ? i % 2 == 0
                         : (models::mix64(stream_seed ^ models::mix64(0x1ABE1ull + i)) & 1) != 0;
  return s.disjointness ? graphs::balanced_disjointness_instance(s.nodes, label, rng)
                        : graphs::length2_instance(s.nodes, s.p, label, rng);
}

ClassificationSet length2_set(const Length2Spec& s, uint64_t stream_seed, uint64_t first, int count,
                              Length2Labels labels) {
  const int N = graphs::Length2Vocab{s.nodes}.length();
  ClassificationSet set{.count = count, .tokens = std::vector<int>(size_t(count) * N), .labels = std::vector<float>(count)};
  std::string error;  // exceptions must not leave an OpenMP region
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < count; ++i) {
    try {
      const auto inst = length2_instance(s, stream_seed, first + uint64_t(i), labels);
      const auto tokens = graphs::encode_length2(inst);
      std::copy(tokens.begin(), tokens.end(), set.tokens.begin() + size_t(i) * N);
      set.labels[i] = inst.label ? 1.0f : -1.0f;
    } catch (const std::exception& e) {
#pragma omp critical
      if (error.empty()) error = e.what();
    }
  }
  if (!error.empty()) throw UsageError(error);
  return set;
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
  // "positive iff arcs > c" for every c, and its reverse.
  long below_pos = 0, below_neg = 0, total_pos = 0, total_neg = 0;
  for (int c = 0; c <= N; ++c) total_pos += positives[c], total_neg += negatives[c];
  long best = std::max(total_pos, total_neg);
  for (int c = 0; c <= N; ++c) {
    below_pos += positives[c], below_neg += negatives[c];  // arcs <= c
    const long above = below_neg + (total_pos - below_pos);  // right when positive iff arcs > c
    best = std::max({best, above, long(set.count) - above});
  }
  return double(best) / set.count;
}

namespace length2_task {

uint64_t input_hash(const int* tokens, int N) {
  return fnv1a(std::string_view(reinterpret_cast<const char*>(tokens), size_t(N) * sizeof(int)));
}

// Training data is a fixed set of train-size examples visited in epochs, or, with train-size 0, fresh
// examples from the training stream at every step (never repeated; labelled as --fresh-labels says). The
// test set and the confirmation set come from streams of their own; the record counts the test inputs that
// also occur in training.
class Run : public TaskRun {
 public:
  Run(const Length2Spec& spec, int train_size, int test_size, int confirm_size, int seen, bool examine,
      bool mask_empty, Length2Labels train_labels, uint64_t seed)
      : spec_(spec), examine_(examine), mask_empty_(mask_empty), N_(graphs::Length2Vocab{spec.nodes}.length()), train_seed_(split_seed(seed, Split::Train)),
        train_labels_(train_labels), order_(std::max(train_size, 1), seed) {
    data_.vocab = graphs::Length2Vocab{spec.nodes}.size(), data_.N = N_;
    data_.test = length2_set(spec, split_seed(seed, Split::Test), 0, test_size, Length2Labels::Alternating);
    if (confirm_size > 0) confirm_ = length2_set(spec, split_seed(seed, Split::Confirm), 0, confirm_size, Length2Labels::Alternating);
    for (int i = 0; i < data_.test.count; ++i) test_inputs_.insert(input_hash(&data_.test.tokens[size_t(i) * N_], N_));
    fresh_ = train_size == 0;
    data_.train = length2_set(spec, train_seed_, 0, fresh_ ? seen : train_size, train_labels_);  // fresh: the first seen
    if (!fresh_)
      for (int i = 0; i < data_.train.count; ++i) note_training(&data_.train.tokens[size_t(i) * N_]);
  }
  TaskShape shape() const override {
    return {.vocab = data_.vocab, .max_len = N_, .masked_token = mask_empty_ ? graphs::Length2Vocab::empty : -1};
  }

  models::Batch batch(long step, int size) override {
    models::Batch b{.B = size, .T = N_};
    if (fresh_) {
      const ClassificationSet set = length2_set(spec_, train_seed_, uint64_t(step) * uint64_t(size), size, train_labels_);
      for (int r = 0; r < size; ++r) note_training(&set.tokens[size_t(r) * N_]);
      b.tokens = set.tokens, b.labels = set.labels;
      return b;
    }
    for (int r = 0; r < size; ++r) {
      const int i = order_.next();
      b.tokens.insert(b.tokens.end(), data_.train.tokens.begin() + size_t(i) * N_,
                      data_.train.tokens.begin() + size_t(i + 1) * N_);
      b.labels.push_back(data_.train.labels[i]);
    }
    return b;
  }

  Scores evaluate(models::Model<float>& model, int limit) override {
    return {accuracy(model, data_, data_.train, limit), accuracy(model, data_, data_.test, limit), {}};
  }
  std::optional<double> confirm(models::Model<float>& model) override {
    if (!confirm_) return std::nullopt;
    return accuracy(model, data_, *confirm_, confirm_->count);
  }
  std::map<std::string, double> baselines() const override {
    return {{"majority", majority_share(data_.test)}, {"arc_count", arc_count_baseline(data_.test, N_)}};
  }
  // With --examine, at |V| <= 12: over every input the format allows, the smallest mantissa at which the
  // Thm 3.2 protocol reproduces the trained model's answers, and the model's own worst case.
  nlohmann::json examine(models::Model<float>& model) override {
    if (!examine_ || spec_.nodes > proofs::kMaxCheckedVertices) return nullptr;
    auto& trained = dynamic_cast<models::OneLayer<float>&>(model);
    auto be = models::make_cpu_backend<double>();
    models::OneLayer<double> widened(trained.config(), *be, 0);  // the protocol runs in double
    const auto weights = trained.store().download(trained.store().params());
    widened.store().upload(widened.store().params(), std::vector<double>(weights.begin(), weights.end()));
    const auto r = proofs::examine_exhaustively(widened, spec_.nodes);
    nlohmann::json j{{"inputs", r.worst.inputs},
                     {"exhaustive_accuracy", r.worst.accuracy()},
                     {"protocol_bits", r.protocol.smallest_bits},
                     {"bits_sent", r.protocol.bits_sent},
                     {"mantissa_bits_sent",
                      r.protocol.smallest_bits > 0 ? long(trained.config().heads) * (trained.config().m + 1) * r.protocol.smallest_bits : 0},
                     {"disjointness_bits", spec_.nodes - 2},
                     {"witness", nullptr}};
    if (r.worst.witness) j["witness"] = {{"a", r.worst.witness->a}, {"b", r.worst.witness->b}, {"path", r.worst.witness->label}};
    return j;
  }

  nlohmann::json record() const override {
    nlohmann::json j{{"distribution", spec_.disjointness ? "disjointness" : "gnp"},
                     {"test_in_training", long(test_seen_.size())},
                     {"fresh_training_data", fresh_},
                     // a constant output's best training accuracy (the fresh stream's labels are coins, so
                     // its inputs' share of the commoner label is not the test set's 0.5); over the whole
                     // split, where the train metric may score a prefix: for a stored set's alternating
                     // labels the two differ by at most half an example
                     {"train_majority", majority_share(data_.train)}};
    if (!spec_.disjointness) j["p"] = spec_.p;
    if (confirm_) j["confirm_arc_count"] = arc_count_baseline(*confirm_, N_);
    return j;
  }

 private:
  void note_training(const int* tokens) {
    const uint64_t h = input_hash(tokens, N_);
    if (test_inputs_.count(h)) test_seen_.insert(h);
  }

  Length2Spec spec_;
  bool examine_, mask_empty_;
  int N_;
  uint64_t train_seed_;
  Length2Labels train_labels_;
  bool fresh_ = false;
  ClassificationData data_;
  std::optional<ClassificationSet> confirm_;
  BatchOrder order_;
  std::unordered_set<uint64_t> test_inputs_, test_seen_;
};

// The splits as `moesim data` writes them: train (the fixed set, or the fresh stream with train-size 0: batch
// s of size B holds examples s B .. s B + B - 1), test, confirm; each from its split_seed stream.
class Data : public TaskData {
 public:
  Data(const Length2Spec& spec, long train, long test, long confirm, Length2Labels train_labels, uint64_t seed)
      : spec_(spec), sizes_{train == 0 ? DataSplit::kUnbounded : train, test, confirm}, train_labels_(train_labels),
        seed_(seed) {}
  std::vector<DataSplit> splits() const override {
    return {{"train", sizes_[0], "the training examples (with --train-size 0: the fresh stream, batch s = examples s*B ..)"},
            {"test", sizes_[1], "the test set"},
            {"confirm", sizes_[2], "the confirmation set (--confirm-size), scored once after training"}};
  }
  void write(const std::string& split, long first, long count, DataFormat format, TextBuffer& out) const override {
    const Split s = split == "train" ? Split::Train : split == "test" ? Split::Test : Split::Confirm;
    const uint64_t stream = split_seed(seed_, s);
    const auto task = spec_.disjointness ? graphs::Task::Disjointness : graphs::Task::Length2;
    const Length2Labels labels = s == Split::Train ? train_labels_ : Length2Labels::Alternating;
    for (long i = first; i < first + count; ++i)
      append_instance(out, length2_instance(spec_, stream, uint64_t(i), labels), task,
                      format == DataFormat::Jsonl ? GraphFormat::Jsonl : GraphFormat::Tokens);
  }

 private:
  Length2Spec spec_;
  long sizes_[3];
  Length2Labels train_labels_;
  uint64_t seed_;
};

// The training split's labels: --fresh-labels for the fresh stream; a stored set alternates (its batches
// are shuffled).
Length2Labels train_labels_of(const RunOptions& o) {
  if (o.task_options.integer("train-size") != 0) return Length2Labels::Alternating;
  return o.task_options.text("fresh-labels") == "alternating" ? Length2Labels::Alternating : Length2Labels::Independent;
}

Length2Spec spec_of(const RunOptions& o) {
  const auto& t = o.task_options;
  Length2Spec s{.nodes = int(t.integer("nodes")), .disjointness = t.text("distribution") == "disjointness"};
  if (!s.disjointness) s.p = graph_p(o, balanced_gnp_p(s.nodes));
  return s;
}

void check(const RunOptions& o) {
  check_mean_path(o);
  const auto& t = o.task_options;
  if (t.text("distribution") == "disjointness") {
    if (t.integer("nodes") < 4) throw UsageError("--nodes: --distribution disjointness needs at least 4 vertices");
    if (t.real("p") > 0 || t.real("mean-path") > 0)
      throw UsageError("--p, --mean-path: the disjointness distribution draws no G(n, p) (accepted with --distribution gnp)");
  }
  if (t.text("fresh-labels") != "independent" && t.integer("train-size") != 0)
    throw UsageError("--fresh-labels labels the fresh training stream (accepted with --train-size 0; a stored set's "
                     "batches are shuffled)");
}

Task make() {
  return {.name = "length2",
          .version = 2,  // 2: split streams by split_seed.hpp; --distribution, fresh data, confirmation sets
          .help = "is there a path of length 2 from s to d? (one-layer model; accuracy)",
          .family = Family::OneLayer,
          .options = {nodes_option(), p_option(), mean_path_option(), train_size_option(), test_size_option(),
                      confirm_size_option(),
                      text_option("distribution", "gnp", {"gnp", "disjointness"},
                                  "gnp: G(n, p) graphs; disjointness: the reduction's hard instances (arc counts "
                                  "carry no signal)"),
                      text_option("fresh-labels", "independent", {"independent", "alternating"},
                                  "with --train-size 0: each example's label a fair coin (independent), or positive "
                                  "for even indices (alternating: every batch exactly half positive, which traps "
                                  "training; results/pilots/moe-data)"),
                      flag_option("examine", "after training, when |V| <= 12: the Thm 3.2 protocol's precision and "
                                             "the worst case over every input, into the record"),
                      flag_option("mask-empty", "keep EMPTY (the slots of absent arcs) out of the attention's keys, so "
                                                "the softmax cannot settle on it (results/pilots/mask-empty)")},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const auto& t = o.task_options;
            return std::make_unique<Run>(spec_of(o), int(t.integer("train-size")), int(t.integer("test-size")),
                                         int(t.integer("confirm-size")), o.fresh_train_split(),
                                         t.flag("examine"), t.flag("mask-empty"), train_labels_of(o), o.seed);
          },
          .check = check,
          .train_examples = {},
          .data = [](const RunOptions& o) -> std::unique_ptr<TaskData> {
            const auto& t = o.task_options;
            return std::make_unique<Data>(spec_of(o), t.integer("train-size"), t.integer("test-size"),
                                          t.integer("confirm-size"), train_labels_of(o), o.seed);
          },
          .examples = {{{"nodes", "5"}, {"p", "0.5"}, {"train-size", "9"}, {"test-size", "7"}, {"examine", "true"}},
                       {{"nodes", "8"}, {"distribution", "disjointness"}, {"train-size", "0"}, {"test-size", "33"},
                        {"confirm-size", "21"}},
                       {{"nodes", "6"}, {"distribution", "disjointness"}, {"train-size", "0"}, {"test-size", "9"},
                        {"mask-empty", "true"}, {"examine", "true"}}}};
}

}  // namespace length2_task

MOESIM_REGISTER_TASK(length2, length2_task::make);

}  // namespace moesim::sims
