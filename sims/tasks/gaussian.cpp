#include "tasks/gaussian.hpp"

#include "models/init.hpp"
#include "run_options.hpp"
#include "tasks/common_options.hpp"

namespace moesim::sims {

ClassificationData make_gaussian(int n, int N, int dim, uint64_t seed) {
  ClassificationData data{.vocab = 0, .input_dim = dim, .N = N};
  auto& s = data.train;
  s.count = n;
  s.x.resize(size_t(n) * N * dim);
  for (size_t i = 0; i < s.x.size(); ++i) s.x[i] = float(models::normal_at(seed, 1, i));
  for (int i = 0; i < n; ++i) s.labels.push_back(models::mix64(seed ^ models::mix64(0xC0FFEE + i)) & 1 ? 1.0f : -1.0f);
  data.test = data.train;
  return data;
}

namespace gaussian_task {

class Run : public ClassificationTaskRun {
 public:
  using ClassificationTaskRun::ClassificationTaskRun;
  std::map<std::string, double> baselines() const override { return {{"majority", majority_share(data_.test)}}; }
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
          .examples = {{{"n", "13"}, {"seq-len", "3"}, {"dim", "5"}}, {{"n", "64"}, {"seq-len", "1"}, {"dim", "2"}}}};
}

}  // namespace gaussian_task

MOESIM_REGISTER_TASK(gaussian, gaussian_task::make);

}  // namespace moesim::sims
