#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

#include "graphs/rng.hpp"

namespace moesim::sims {
namespace {

using Clock = std::chrono::steady_clock;

// Indices 0..n-1 visited in a fresh random order each epoch, deterministically from the seed.
class BatchOrder {
 public:
  BatchOrder(int n, uint64_t seed) : order_(n), rng_(seed, 0xBA7C4) { shuffle(); }
  int next() {
    if (pos_ == order_.size()) shuffle();
    return order_[pos_++];
  }

 private:
  void shuffle() {
    std::iota(order_.begin(), order_.end(), 0);
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng_.below(i)]);
    pos_ = 0;
  }
  std::vector<int> order_;
  graphs::Rng rng_;
  size_t pos_ = 0;
};

struct Scores {
  double train = 0, test = 0;
  std::map<std::string, double> metrics;
};

// The shared loop: `step(step) -> (loss, tokens)`, `evaluate() -> scores`.
RunResult run_loop(const TrainConfig& c, const std::function<std::pair<double, long>(long)>& step,
                   const std::function<Scores()>& evaluate) {
  RunResult r;
  const auto start = Clock::now();
  double train_seconds = 0, loss_sum = 0;
  long tokens = 0, loss_count = 0;
  r.status = "completed";
  for (long s = 0; s < c.steps; ++s) {
    const auto t0 = Clock::now();
    const auto [loss, n] = step(s);
    train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    tokens += n;
    r.steps_done = s + 1;
    if (!std::isfinite(loss)) {
      r.status = "diverged";
      r.evals.push_back({s + 1, loss, 0, 0});
      break;
    }
    loss_sum += loss, ++loss_count;
    if ((s + 1) % c.eval_every == 0 || s + 1 == c.steps) {
      const Scores scores = evaluate();
      const double train = scores.train, test = scores.test;
      r.evals.push_back({s + 1, loss_sum / loss_count, train, test, scores.metrics});
      loss_sum = 0, loss_count = 0;
      if (c.progress) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::fprintf(stderr, "step %ld/%ld  loss %.4f  train %.3f  test %.3f  %.0f tok/s  ETA %.0fs\n", s + 1,
                     c.steps, r.evals.back().loss, train, test, tokens / std::max(train_seconds, 1e-9),
                     elapsed / (s + 1) * (c.steps - s - 1));
      }
      if (test >= c.target) {
        r.status = "target_reached";
        break;
      }
    }
  }
  r.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.tokens_per_second = tokens / std::max(train_seconds, 1e-9);
  return r;
}

}  // namespace

double exact_match(models::Transformer<float>& model, const std::vector<SequenceExample>& examples, int limit) {
  const int count = std::min<int>(limit, int(examples.size()));
  if (count == 0) return 0;
  // Group by prompt length so that a batch decodes in lockstep without padding inside the prompt.
  std::map<int, std::vector<int>> groups;
  for (int i = 0; i < count; ++i) groups[examples[i].prompt].push_back(i);
  const int V = model.config().vocab, max_len = model.config().max_len;
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
        std::vector<int> batch(size_t(B) * L);
        for (int b = 0; b < B; ++b) std::copy(seqs[b].begin(), seqs[b].end(), batch.begin() + size_t(b) * L);
        model.forward(batch.data(), nullptr, nullptr, B, L);
        const auto logits = model.logits();  // (B,L,V)
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

RunResult train_sequence(models::Transformer<float>& model, const SequenceTask& task, const TrainConfig& c) {
  models::AdamW<float> opt(c.optimizer, model.store());
  BatchOrder order(int(task.train.size()), c.seed);
  auto step = [&](long s) -> std::pair<double, long> {
    std::vector<int> ids(c.batch);
    int L = 0;
    for (int& i : ids) {
      i = order.next();
      L = std::max(L, int(task.train[i].tokens.size()) - 1);
    }
    std::vector<int> inputs(size_t(c.batch) * L, task.pad), targets(size_t(c.batch) * L, task.pad);
    std::vector<float> weights(size_t(c.batch) * L, 0.0f);
    long predicted = 0;
    for (int b = 0; b < c.batch; ++b) {
      const auto& e = task.train[ids[b]];
      for (size_t t = 0; t + 1 < e.tokens.size(); ++t) {
        inputs[b * L + t] = e.tokens[t];
        targets[b * L + t] = e.tokens[t + 1];
        weights[b * L + t] = e.predict[t + 1];
        predicted += e.predict[t + 1];
      }
    }
    for (float& w : weights) w /= float(std::max(1L, predicted));
    model.store().zero_grads();
    const auto loss = model.forward(inputs.data(), targets.data(), weights.data(), c.batch, L);
    model.backward();
    opt.step(s, c.steps);
    return {loss.total(), long(c.batch) * L};
  };
  auto evaluate = [&]() -> Scores {
    return {exact_match(model, task.train, c.eval_limit), exact_match(model, task.test, c.eval_limit), {}};
  };
  return run_loop(c, step, evaluate);
}

double accuracy(models::OneLayer<float>& model, const ClassificationTask& task, const ClassificationSet& set,
                int limit) {
  const int count = std::min(limit, set.count);
  int correct = 0;
  for (int i0 = 0; i0 < count; i0 += 256) {
    const int B = std::min(256, count - i0);
    const size_t row = size_t(task.N) * std::max(1, task.input_dim);
    model.forward(task.vocab ? set.tokens.data() + size_t(i0) * task.N : nullptr,
                  task.vocab ? nullptr : set.x.data() + size_t(i0) * row, nullptr, B, task.N);
    const auto out = model.outputs();
    for (int b = 0; b < B; ++b) correct += (out[b] > 0) == (set.labels[i0 + b] > 0);
  }
  return count ? double(correct) / count : 0.0;
}

RunResult train_classifier(models::OneLayer<float>& model, const ClassificationTask& task, const TrainConfig& c) {
  models::AdamW<float> opt(c.optimizer, model.store());
  BatchOrder order(task.train.count, c.seed);
  const int N = task.N, D = task.input_dim;
  auto step = [&](long s) -> std::pair<double, long> {
    std::vector<int> tokens;
    std::vector<float> x, labels;
    for (int b = 0; b < c.batch; ++b) {
      const int i = order.next();
      if (task.vocab) {
        tokens.insert(tokens.end(), task.train.tokens.begin() + size_t(i) * N, task.train.tokens.begin() + size_t(i + 1) * N);
      } else {
        x.insert(x.end(), task.train.x.begin() + size_t(i) * N * D, task.train.x.begin() + size_t(i + 1) * N * D);
      }
      labels.push_back(task.train.labels[i]);
    }
    model.store().zero_grads();
    const double loss = model.forward(task.vocab ? tokens.data() : nullptr, task.vocab ? nullptr : x.data(),
                                      labels.data(), c.batch, N);
    model.backward();
    opt.step(s, c.steps);
    return {loss, long(c.batch) * N};
  };
  auto evaluate = [&]() -> Scores {
    return {accuracy(model, task, task.train, c.eval_limit), accuracy(model, task, task.test, c.eval_limit), {}};
  };
  return run_loop(c, step, evaluate);
}

namespace {

// A batch of SRAVEN problems as the model sees them: tokens (B, 9K), targets (B, 9K) holding panel 9's
// values at the K query positions, and weights 1/(B K) there (0 elsewhere).
struct SravenBatch {
  std::vector<int> tokens, targets;
  std::vector<float> weights;
};

SravenBatch sraven_batch(const std::vector<SravenProblem>& problems) {
  SravenBatch b;
  const int K = problems.front().features, L = 9 * K;
  for (const auto& p : problems) {
    const auto t = sraven_tokens(p);
    b.tokens.insert(b.tokens.end(), t.begin(), t.end());
    for (int i = 0; i < L; ++i) {
      const bool query = i >= 8 * K;
      b.targets.push_back(query ? p.target()[i - 8 * K] : 0);
      b.weights.push_back(query ? 1.0f / float(problems.size() * K) : 0.0f);
    }
  }
  return b;
}

// (all-K accuracy, per-feature accuracy) over the problems, in batches of 128.
std::pair<double, double> sraven_accuracy(models::Transformer<float>& model, const std::vector<SravenProblem>& problems) {
  if (problems.empty()) return {0, 0};
  const int K = problems.front().features, L = 9 * K, V = model.config().vocab;
  long all = 0, features = 0;
  for (size_t i0 = 0; i0 < problems.size(); i0 += 128) {
    const std::vector<SravenProblem> part(problems.begin() + long(i0), problems.begin() + long(std::min(problems.size(), i0 + 128)));
    const auto b = sraven_batch(part);
    model.forward(b.tokens.data(), nullptr, nullptr, int(part.size()), L);
    const auto logits = model.logits();  // (B, L, V)
    for (size_t p = 0; p < part.size(); ++p) {
      int right = 0;
      for (int k = 0; k < K; ++k) {
        const float* z = logits.data() + (p * L + 8 * K + k) * V;
        right += int(std::max_element(z, z + kSravenValues) - z) == part[p].target()[k];
      }
      features += right, all += right == K;
    }
  }
  return {double(all) / double(problems.size()), double(features) / double(problems.size() * K)};
}

}  // namespace

RunResult train_sraven(models::Transformer<float>& model, const SravenTask& task, const TrainConfig& c) {
  models::AdamW<float> opt(c.optimizer, model.store());
  const auto splits = sraven_splits(task.features, task.pool);
  auto draw = [&](SravenSplit split, long first, int count) {
    std::vector<SravenProblem> out;
    for (int i = 0; i < count; ++i) out.push_back(sraven_problem(splits, task.features, split, task.seed, uint64_t(first + i)));
    return out;
  };
  const auto id_test = draw(SravenSplit::Test, 0, task.test_count);
  const auto ood_test = draw(SravenSplit::Ood, 0, task.test_count);
  const auto seen = draw(SravenSplit::Train, 0, std::min(c.eval_limit, c.batch * 8));  // the first batches trained on
  const int L = 9 * task.features;
  auto step = [&](long s) -> std::pair<double, long> {
    const auto b = sraven_batch(draw(SravenSplit::Train, s * c.batch, c.batch));
    model.store().zero_grads();
    const auto loss = model.forward(b.tokens.data(), b.targets.data(), b.weights.data(), c.batch, L);
    model.backward();
    opt.step(s, c.steps);
    return {loss.total(), long(c.batch) * L};
  };
  auto evaluate = [&]() -> Scores {
    const auto [train, train_f] = sraven_accuracy(model, seen);
    const auto [id, id_f] = sraven_accuracy(model, id_test);
    const auto [ood, ood_f] = sraven_accuracy(model, ood_test);
    return {train, ood, {{"id", id}, {"ood", ood}, {"id_feature", id_f}, {"ood_feature", ood_f}, {"train_feature", train_f}}};
  };
  return run_loop(c, step, evaluate);
}

}  // namespace moesim::sims
