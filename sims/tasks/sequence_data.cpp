#include "tasks/sequence_data.hpp"

#include <algorithm>
#include <map>

namespace moesim::sims {

double exact_match(models::Model<float>& model, int V, int max_len, const std::vector<SequenceExample>& examples,
                   int limit) {
  const int count = std::min<int>(limit, int(examples.size()));
  if (count == 0) return 0;
  // Group by prompt length so that a batch decodes in lockstep without padding inside the prompt.
  std::map<int, std::vector<int>> groups;
  for (int i = 0; i < count; ++i) groups[examples[i].prompt].push_back(i);
  int correct = 0;
  for (const auto& [plen, members] : groups) {
    for (size_t g0 = 0; g0 < members.size(); g0 += 64) {
      const std::vector<int> ids(members.begin() + g0, members.begin() + std::min(members.size(), g0 + 64));
      const int B = int(ids.size());
      int gen = 0;
      for (int i : ids) gen = std::max(gen, int(examples[i].tokens.size()) - plen);
      gen = std::min(gen, max_len - plen + 1);
      std::vector<std::vector<int>> seqs(B);
      for (int b = 0; b < B; ++b) seqs[b].assign(examples[ids[b]].tokens.begin(), examples[ids[b]].tokens.begin() + plen);
      for (int t = 0; t < gen; ++t) {
        const int L = plen + t;
        if (L > max_len) break;
        models::Batch batch{.B = B, .T = L};
        batch.tokens.resize(size_t(B) * L);
        for (int b = 0; b < B; ++b) std::copy(seqs[b].begin(), seqs[b].end(), batch.tokens.begin() + size_t(b) * L);
        model.forward(batch);
        const auto logits = model.outputs();  // (B,L,V)
        for (int b = 0; b < B; ++b) {
          const float* z = logits.data() + (size_t(b) * L + L - 1) * V;
          seqs[b].push_back(int(std::max_element(z, z + V) - z));
        }
      }
      for (int b = 0; b < B; ++b) {
        const auto& e = examples[ids[b]];
        const size_t want = e.tokens.size() - plen;
        correct += seqs[b].size() >= plen + want &&
                   std::equal(e.tokens.begin() + plen, e.tokens.end(), seqs[b].begin() + plen);
      }
    }
  }
  return double(correct) / count;
}

models::Batch sequence_batch(const std::vector<SequenceExample>& examples, int pad) {
  const int size = int(examples.size());
  int L = 0;
  for (const auto& e : examples) L = std::max(L, int(e.tokens.size()) - 1);
  models::Batch b{.B = size, .T = L};
  b.tokens.assign(size_t(size) * L, pad);
  b.targets.assign(size_t(size) * L, pad);
  b.weights.assign(size_t(size) * L, 0.0f);
  long predicted = 0;
  for (int r = 0; r < size; ++r) {
    const auto& e = examples[r];
    for (size_t t = 0; t + 1 < e.tokens.size(); ++t) {
      b.tokens[r * L + t] = e.tokens[t];
      b.targets[r * L + t] = e.tokens[t + 1];
      b.weights[r * L + t] = e.predict[t + 1];
      predicted += e.predict[t + 1];
    }
  }
  for (float& w : b.weights) w /= float(std::max(1L, predicted));
  return b;
}

models::Batch SequenceTaskRun::batch(long, int size) {
  std::vector<SequenceExample> examples;
  for (int r = 0; r < size; ++r) examples.push_back(data_.train[order_.next()]);
  return sequence_batch(examples, data_.pad);
}

Scores SequenceTaskRun::evaluate(models::Model<float>& model, int limit) {
  return {exact_match(model, data_.vocab, data_.max_len, data_.train, limit),
          exact_match(model, data_.vocab, data_.max_len, data_.test, limit),
          {}};
}

}  // namespace moesim::sims
