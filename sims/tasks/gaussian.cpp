#include "tasks/gaussian.hpp"

#include <iterator>

#include "models/init.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

void gaussian_input(uint64_t seed, long i, int N, int dim, float* x) {
  const size_t row = size_t(N) * size_t(dim);
  for (size_t j = 0; j < row; ++j) x[j] = float(models::normal_at(seed, 1, size_t(i) * row + j));
}

bool gaussian_label(uint64_t seed, long i) { return models::mix64(seed ^ models::mix64(0xC0FFEE + uint64_t(i))) & 1; }

ClassificationData make_gaussian(int n, int N, int dim, uint64_t seed) {
  ClassificationData data{.vocab = 0, .input_dim = dim, .N = N};
  auto& s = data.train;
  s.count = n;
  s.x.resize(size_t(n) * N * dim);
  for (int i = 0; i < n; ++i) {
    gaussian_input(seed, i, N, dim, s.x.data() + size_t(i) * N * dim);
    s.labels.push_back(gaussian_label(seed, i) ? 1.0f : -1.0f);
  }
  data.test = data.train;
  return data;
}

namespace gaussian_task {

class Run : public ClassificationTaskRun {
 public:
  using ClassificationTaskRun::ClassificationTaskRun;
  std::map<std::string, double> baselines() const override { return {{"majority", majority_share(data_.test)}}; }
};

// The splits as `moesim data` writes them: train, and test, the same n sequences (memorisation is scored on
// the training set).
class Data : public TaskData {
 public:
  Data(long n, int N, int dim, uint64_t seed) : n_(n), N_(N), dim_(dim), seed_(seed) {}
  std::vector<DataSplit> splits() const override {
    return {{"train", n_, "the sequences to memorise, with their random labels"},
            {"test", n_, "the same sequences (the metric is memorisation)"}};
  }
  void write(const std::string&, long first, long count, DataFormat format, TextBuffer& out) const override {
    std::vector<float> x(size_t(N_) * dim_);
    auto it = std::back_inserter(out);
    for (long i = first; i < first + count; ++i) {
      gaussian_input(seed_, i, N_, dim_, x.data());
      const bool label = gaussian_label(seed_, i);
      if (format == DataFormat::Tokens) {
        append_floats(out, x.data(), long(x.size()));
        fmt::format_to(it, "\t{}\n", label ? 1 : 0);
        continue;
      }
      out.append(std::string_view("{\"x\":["));
      for (int t = 0; t < N_; ++t) {
        out.append(std::string_view(t ? ",[" : "["));
        append_floats(out, x.data() + size_t(t) * dim_, dim_, ',');
        out.push_back(']');
      }
      fmt::format_to(it, "],\"label\":{}}}\n", label);
    }
  }

 private:
  long n_;
  int N_, dim_;
  uint64_t seed_;
};

Task make() {
  return {.name = "gaussian",
          .help = "memorise random labels of Gaussian sequences (one-layer model; accuracy on the sequences)",
          .family = Family::OneLayer,
          .options = {int_option("n", 64, 1, 100000000, "Gaussian sequences to memorise"),
                      int_option("seq-len", 8, 1, 65536, "Gaussian sequence length N"),
                      int_option("dim", 8, 1, 65536, "Gaussian input dimension"), epochs_option()},
          .make = [](const RunOptions& o) -> std::unique_ptr<TaskRun> {
            const auto& t = o.task_options;
            return std::make_unique<Run>(make_gaussian(int(t.integer("n")), int(t.integer("seq-len")),
                                                       int(t.integer("dim")), o.seed),
                                         o.seed);
          },
          .check = {},
          .train_examples = [](const RunOptions& o) { return long(o.task_options.integer("n")); },
          .data = [](const RunOptions& o) -> std::unique_ptr<TaskData> {
            const auto& t = o.task_options;
            return std::make_unique<Data>(t.integer("n"), int(t.integer("seq-len")), int(t.integer("dim")), o.seed);
          },
          .examples = {{{"n", "13"}, {"seq-len", "3"}, {"dim", "5"}}, {{"n", "64"}, {"seq-len", "1"}, {"dim", "2"}}}};
}

}  // namespace gaussian_task

MOESIM_REGISTER_TASK(gaussian, gaussian_task::make);

}  // namespace moesim::sims
