#include "tasks/classification_task.hpp"

#include "graphs/encode.hpp"
#include "graphs/instances.hpp"
#include "models/init.hpp"

namespace moesim::sims {

ClassificationTask make_length2(int nodes, double p, int train, int test, uint64_t seed) {
  const graphs::Length2Vocab voc{nodes};
  ClassificationTask task{"length2", voc.size(), 0, voc.length(), {}, {}};
  auto fill = [&](ClassificationSet& set, uint64_t stream_seed, int count) {
    set.count = count;
    for (const auto& inst : graphs::sample({graphs::Task::Length2, nodes, p, count, stream_seed})) {
      const auto tokens = graphs::encode_length2(inst);
      set.tokens.insert(set.tokens.end(), tokens.begin(), tokens.end());
      set.labels.push_back(inst.label ? 1.0f : -1.0f);
    }
  };
  fill(task.train, graphs::Rng::splitmix64(seed), train);
  uint64_t s2 = seed ^ 0x5DEECE66Dull;
  fill(task.test, graphs::Rng::splitmix64(s2), test);
  return task;
}

ClassificationTask make_gaussian(int n, int N, int dim, uint64_t seed) {
  ClassificationTask task{"gaussian", 0, dim, N, {}, {}};
  auto& s = task.train;
  s.count = n;
  s.x.resize(size_t(n) * N * dim);
  for (size_t i = 0; i < s.x.size(); ++i) s.x[i] = float(models::normal_at(seed, 1, i));
  for (int i = 0; i < n; ++i) s.labels.push_back(models::mix64(seed ^ models::mix64(0xC0FFEE + i)) & 1 ? 1.0f : -1.0f);
  task.test = task.train;
  return task;
}

}  // namespace moesim::sims
