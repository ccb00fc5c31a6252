#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "models/train_step.hpp"

namespace moesim::sims {

RunResult train(models::Model<float>& model, TaskRun& task, const TrainConfig& c) {
  if (c.steps < 1 || c.batch < 1 || c.eval_every < 1 || c.eval_limit < 1)
    throw std::invalid_argument("train: steps, batch, eval_every and eval_limit must be >= 1 (made by train_config)");
  using Clock = std::chrono::steady_clock;
  models::AdamW<float> opt(c.optimizer, model.store());
  models::TrainStep<float> train_step(model, opt);
  RunResult r;
  const auto start = Clock::now();
  double train_seconds = 0, loss_sum = 0;
  long tokens = 0, loss_count = 0;
  r.status = "completed";
  for (long s = 0; s < c.steps; ++s) {
    const auto t0 = Clock::now();
    const models::Batch batch = task.batch(s, c.batch);
    const bool evaluating = (s + 1) % c.eval_every == 0 || s + 1 == c.steps;
    std::vector<models::RoutingStats> routing;  // of this step's forward pass, kept for its evaluation
    const double loss = train_step.run(batch, s, c.steps, evaluating ? &routing : nullptr);
    train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    tokens += long(batch.B) * batch.T;
    r.steps_done = s + 1;
    if (!std::isfinite(loss)) {
      r.status = "diverged";
      r.evals.push_back({s + 1, loss, 0, 0});
      break;
    }
    loss_sum += loss, ++loss_count;
    if (evaluating) {
      const Scores scores = task.evaluate(model, c.eval_limit);
      r.evals.push_back({s + 1, loss_sum / loss_count, scores.train, scores.test, scores.metrics, std::move(routing)});
      loss_sum = 0, loss_count = 0;
      if (c.progress) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        std::fprintf(stderr, "step %ld/%ld  loss %.4f  train %.3f  test %.3f  %.0f tok/s  ETA %.0fs\n", s + 1,
                     c.steps, r.evals.back().loss, scores.train, scores.test, tokens / std::max(train_seconds, 1e-9),
                     elapsed / (s + 1) * (c.steps - s - 1));
      }
      if (scores.test >= c.target) {
        r.status = "target_reached";
        break;
      }
    }
  }
  r.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.tokens_per_second = tokens / std::max(train_seconds, 1e-9);
  return r;
}

}  // namespace moesim::sims
