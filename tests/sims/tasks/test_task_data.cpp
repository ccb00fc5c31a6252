// `moesim data` writes the trainer's examples: for every task, at each of its example option sets, the
// exported training split equals what TaskRun::batch hands the model (in order for fresh streams; one
// epoch covering the set exactly once for fixed sets), and an oracle that answers from the exported test
// splits scores 100% on the trainer's own test (and confirmation / OOD) sets. An oracle built from another
// seed's export scores less, so the check can fail.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>

#include <cstring>

#include "tasks/task_data.hpp"
#include "run_options.hpp"
#include "tasks/sraven.hpp"
#include "tasks/task.hpp"

using namespace moesim;
using namespace moesim::sims;

namespace task_data_test {

// One exported tokens line: what the model reads, and its target text (label, mask or values).
struct Row {
  std::vector<int> tokens;
  std::vector<float> x;
  std::string target;
  bool operator==(const Row&) const = default;
};

std::vector<Row> exported(const TaskData& data, const std::string& split, long first, long count, bool real) {
  TextBuffer out;
  data.write(split, first, count, DataFormat::Tokens, out);
  std::istringstream lines(fmt::to_string(out));
  std::vector<Row> rows;
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    Row r{.target = line.substr(tab + 1)};
    std::istringstream in(line.substr(0, tab));
    for (std::string word; in >> word;) {
      if (real) r.x.push_back(std::strtof(word.c_str(), nullptr));
      else r.tokens.push_back(std::stoi(word));
    }
    rows.push_back(r);
  }
  REQUIRE(long(rows.size()) == count);
  return rows;
}

// Row r of a training batch in the exported form. Sequence batches must hold one example (no padding).
Row batch_row(const models::Batch& b, int r, const Task& task, const TaskShape& shape) {
  Row row;
  const size_t T = size_t(b.T);
  if (task.family == Family::OneLayer) {
    if (shape.vocab) row.tokens.assign(b.tokens.begin() + r * T, b.tokens.begin() + (r + 1) * T);
    else row.x.assign(b.x.begin() + r * T * shape.input_dim, b.x.begin() + (r + 1) * T * shape.input_dim);
    row.target = b.labels[size_t(r)] > 0 ? "1" : "0";
  } else if (task.name == "sraven") {
    row.tokens.assign(b.tokens.begin() + r * T, b.tokens.begin() + (r + 1) * T);
    const int K = int(T) / 9;
    for (int k = 0; k < K; ++k) row.target += (k ? " " : "") + std::to_string(b.targets[r * T + 8 * K + k]);
  } else {
    REQUIRE(b.B == 1);
    row.tokens.assign(b.tokens.begin(), b.tokens.end());
    row.tokens.push_back(b.targets.back());  // the sequence is the inputs and the last target
    row.target = "0";                        // the first token is never predicted
    for (float w : b.weights) row.target += w > 0 ? '1' : '0';
  }
  return row;
}

uint64_t key(const std::vector<int>& tokens, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ uint64_t(uint32_t(tokens[i]))) * 1099511628211ull;
  return h ^ n;
}
uint64_t key(const float* x, size_t n) {
  std::vector<int> bits(n);
  std::memcpy(bits.data(), x, n * sizeof(float));
  return key(bits, n);
}

// A model that answers from exported examples: the label of an input, the next token after a prefix,
// SRAVEN's ninth panel. Never trained; only forward() and outputs() are called by the scorers.
class Oracle : public models::Model<float> {
 public:
  Oracle(const Task& task, const TaskShape& shape) : task_(task), shape_(shape) {}
  void learn(const std::vector<Row>& rows) {
    for (const auto& r : rows) {
      if (task_.family == Family::OneLayer) {
        const uint64_t k = shape_.vocab ? key(r.tokens, r.tokens.size()) : key(r.x.data(), r.x.size());
        answers_[k] = {r.target == "1" ? 1 : -1};
      } else if (task_.name == "sraven") {
        std::istringstream in(r.target);
        std::vector<int> values;
        for (int v; in >> v;) values.push_back(v);
        answers_[key(r.tokens, r.tokens.size())] = values;
      } else {
        for (size_t t = 1; t < r.tokens.size(); ++t) answers_[key(r.tokens, t)] = {r.tokens[t]};
      }
    }
  }
  models::ParamStore<float>& store() override { throw std::logic_error("the oracle has no parameters"); }
  void backward() override {}
  void enqueue_forward() override {}
  double staged_loss() const override { return 0; }
  long layout() const override { return 0; }
  void stage(const models::Batch& b) override {  // the whole forward pass: the oracle looks the answers up
    const size_t T = size_t(b.T);
    if (task_.family == Family::OneLayer) {
      out_.assign(size_t(b.B), 0.0f);
      for (int r = 0; r < b.B; ++r) {
        const uint64_t k = shape_.vocab ? key(std::vector<int>(b.tokens.begin() + r * T, b.tokens.begin() + (r + 1) * T), T)
                                        : key(b.x.data() + r * T * shape_.input_dim, T * shape_.input_dim);
        const auto it = answers_.find(k);
        out_[size_t(r)] = it == answers_.end() ? std::nanf("") : float(it->second[0]);  // NaN: never right
      }
      return;
    }
    const int V = shape_.vocab;
    out_.assign(size_t(b.B) * T * V, 0.0f);
    for (int r = 0; r < b.B; ++r) {
      const std::vector<int> row(b.tokens.begin() + r * T, b.tokens.begin() + (r + 1) * T);
      if (task_.name == "sraven") {
        const auto it = answers_.find(key(row, T));
        const int K = int(T) / 9;
        for (int k = 0; k < K; ++k)
          out_[(r * T + 8 * K + k) * V + size_t(it == answers_.end() ? V - 1 : it->second[size_t(k)])] = 1;
        continue;
      }
      const auto it = answers_.find(key(row, T));  // the next token after the whole row
      out_[(r * T + T - 1) * V + size_t(it == answers_.end() ? V - 1 : it->second[0])] = 1;
    }
  }
  std::vector<float> outputs() override { return out_; }

 private:
  const Task& task_;
  TaskShape shape_;
  std::map<uint64_t, std::vector<int>> answers_;
  std::vector<float> out_;
};

RunOptions options_of(const Task& task, const Options& example, const std::string& seed) {
  Options given{{"task", task.name}, {"model", family_model(task.family)}, {"seed", seed}, {"batch", "4"}};
  given.insert(example.begin(), example.end());
  return parse_run_options(given);
}

}  // namespace task_data_test

using namespace task_data_test;

TEST_CASE("data: every task exports the trainer's examples, split by split", "[sims][task_data]") {
  for (const Task& task : tasks()) {
    REQUIRE(task.data);
    for (const auto& example : task.examples) {
      INFO(task.name << " " << example.size());
      const RunOptions o = options_of(task, example, "7");
      const auto run = task.make(o);
      const auto data = task.data(o);
      const TaskShape shape = run->shape();
      const bool real = shape.vocab == 0;
      std::map<std::string, DataSplit> splits;
      for (const auto& s : data->splits()) splits[s.name] = s;
      REQUIRE(splits.count("train"));
      REQUIRE(splits.count("test"));

      // Training: the fresh stream in order, or one epoch of the fixed set, each example once.
      const DataSplit train = splits["train"];
      const bool sequence = task.family == Family::Transformer && task.name != "sraven";
      if (train.size == DataSplit::kUnbounded) {
        const int size = sequence ? 1 : 3;
        for (long step = 0; step < 4; ++step) {
          const auto rows = exported(*data, "train", step * size, size, real);
          const models::Batch b = run->batch(step, size);
          for (int r = 0; r < size; ++r) REQUIRE(batch_row(b, r, task, shape) == rows[size_t(r)]);
        }
      } else {
        const auto rows = exported(*data, "train", 0, train.size, real);
        std::vector<int> seen(rows.size(), 0);
        for (long i = 0; i < train.size; ++i) {
          const Row row = batch_row(run->batch(i, 1), 0, task, shape);
          const auto at = std::find(rows.begin(), rows.end(), row);
          REQUIRE(at != rows.end());
          seen[size_t(at - rows.begin())]++;
        }
        REQUIRE(std::count(seen.begin(), seen.end(), 1) == long(rows.size()));
      }

      // The test side: an oracle from the exported splits gets every test example right.
      Oracle oracle(task, shape);
      for (const auto& [name, s] : splits)
        if (name != "train" && s.size > 0) oracle.learn(exported(*data, name, 0, s.size, real));
      const Scores scores = run->evaluate(oracle, 1 << 30);
      REQUIRE(scores.test == 1.0);
      if (splits.count("ood")) REQUIRE(scores.metrics.at("id") == 1.0);
      if (splits.count("confirm") && splits["confirm"].size > 0) REQUIRE(run->confirm(oracle) == 1.0);

      // The same oracle against another seed's test set fails.
      const RunOptions other = options_of(task, example, "8");
      REQUIRE(task.make(other)->evaluate(oracle, 1 << 30).test < 1.0);
    }
  }
}

TEST_CASE("data: line pieces", "[sims][task_data]") {
  TextBuffer out;
  append_ints(out, {3, -1, 4});
  out.push_back('|');
  append_json_ints(out, {3, 1});
  out.push_back('|');
  append_mask(out, {0, 1, 1});
  out.push_back('|');
  const float values[] = {0.1f, -2.5e-38f, 3.4028235e38f, 1.0f / 3.0f};
  append_floats(out, values, 4);
  const std::string text = fmt::to_string(out);
  REQUIRE(text.substr(0, text.rfind('|')) == "3 -1 4|[3,1]|011");
  std::istringstream in(text.substr(text.rfind('|') + 1));
  for (float v : values) {  // the shortest text reads back as the same float
    std::string word;
    in >> word;
    REQUIRE(std::strtof(word.c_str(), nullptr) == v);
  }
  REQUIRE(parse_data_format("tokens") == DataFormat::Tokens);
  REQUIRE_THROWS_WITH(parse_data_format("csv"), Catch::Contains("accepted: jsonl, tokens"));
}
