#include "tasks/classification_data.hpp"

#include <algorithm>

namespace moesim::sims {

double accuracy(models::Model<float>& model, const ClassificationData& data, const ClassificationSet& set, int limit) {
  const int count = std::min(limit, set.count);
  const int N = data.N;
  const size_t row = size_t(N) * std::max(1, data.input_dim);
  int correct = 0;
  for (int i0 = 0; i0 < count; i0 += 256) {
    const int B = std::min(256, count - i0);
    models::Batch batch{.B = B, .T = N};
    if (data.vocab) batch.tokens.assign(set.tokens.begin() + size_t(i0) * N, set.tokens.begin() + size_t(i0 + B) * N);
    else batch.x.assign(set.x.begin() + size_t(i0) * row, set.x.begin() + size_t(i0 + B) * row);
    model.forward(batch);
    const auto out = model.outputs();
    for (int b = 0; b < B; ++b) correct += (out[b] > 0) == (set.labels[i0 + b] > 0);
  }
  return count ? double(correct) / count : 0.0;
}

double majority_share(const ClassificationSet& set) {
  if (set.count == 0) return 0;
  const long positive = std::count_if(set.labels.begin(), set.labels.end(), [](float y) { return y > 0; });
  return double(std::max(positive, long(set.count) - positive)) / set.count;
}

models::Batch ClassificationTaskRun::batch(long, int size) {
  const int N = data_.N, D = data_.input_dim;
  const auto& train = data_.train;
  models::Batch b{.B = size, .T = N};
  for (int r = 0; r < size; ++r) {
    const int i = order_.next();
    if (data_.vocab) {
      b.tokens.insert(b.tokens.end(), train.tokens.begin() + size_t(i) * N, train.tokens.begin() + size_t(i + 1) * N);
    } else {
      b.x.insert(b.x.end(), train.x.begin() + size_t(i) * N * D, train.x.begin() + size_t(i + 1) * N * D);
    }
    b.labels.push_back(train.labels[i]);
  }
  return b;
}

Scores ClassificationTaskRun::evaluate(models::Model<float>& model, int limit) {
  return {accuracy(model, data_, data_.train, limit), accuracy(model, data_, data_.test, limit), {}};
}

}  // namespace moesim::sims
