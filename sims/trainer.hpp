#pragma once
// The trainer: one loop for every task and model family. Batches come from the task, AdamW with warmup
// and decay steps the model, train and test scores are evaluated every so often, the run stops early at
// a target test score, and a NaN or Inf loss ends it as `diverged` (never a silent number).
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/adamw.hpp"
#include "models/model.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {

// The version of the training pipeline (the run options' mapping to a model, the trainer's loop): bump it
// in the same change as anything here that alters a run's results (models/version.hpp says why).
inline constexpr int kTrainerVersion = 1;

// Made from a run's options by train_config (run_training.hpp): the defaults are RunOptions', not repeated
// here, and train() refuses one left at these zeros.
struct TrainConfig {
  long steps = 0;
  int batch = 0;
  int eval_every = 0;       // steps between evaluations (and at the end)
  double target = 0;        // stop once the test metric reaches this (> 1 never stops early)
  int eval_limit = 0;       // examples per evaluation of each split (RunOptions' 0, "all", arrives as INT_MAX)
  models::OptimizerConfig optimizer;
  bool progress = false;    // a progress line on stderr at each evaluation
};

struct Evaluation {
  long step = 0;
  double loss = 0;          // mean training loss since the previous evaluation
  double train_metric = 0;  // exact match / accuracy
  double test_metric = 0;
  std::map<std::string, double> metrics;  // task-specific extras (SRAVEN: id, ood, id_feature, ood_feature)
  // The routing of the training batch of this step, per MoE layer (none for a dense model). An
  // observation, not a result: it leaves the run's bits as they are, and records written before it
  // existed lack it.
  std::vector<models::RoutingStats> routing;
};

struct RunResult {
  std::string status;       // "completed", "target_reached" or "diverged"
  std::vector<Evaluation> evals;
  long steps_done = 0;
  double wall_seconds = 0;
  double tokens_per_second = 0;
  std::optional<double> confirm_metric;  // the test metric on the task's confirmation set, if it has one
  // The final evaluation; the trainer always makes one, and a record without any is refused when read.
  const Evaluation& last() const {
    if (evals.empty()) throw std::logic_error("RunResult::last: a run result without evaluations");
    return evals.back();
  }
};

RunResult train(models::Model<float>& model, TaskRun& task, const TrainConfig& config);

}  // namespace moesim::sims
