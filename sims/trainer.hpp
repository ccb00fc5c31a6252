#pragma once
// The trainer: batches, AdamW with warmup and decay, evaluation of train and test metrics every so often,
// early stop at a target metric, divergence detection (a NaN or Inf loss ends the run as `diverged`).
#include <map>
#include <string>
#include <vector>

#include "models/adamw.hpp"
#include "models/one_layer.hpp"
#include "models/transformer.hpp"
#include "tasks/classification_task.hpp"
#include "tasks/sequence_task.hpp"
#include "tasks/sraven.hpp"

namespace moesim::sims {

struct TrainConfig {
  long steps = 500;
  int batch = 32;
  int eval_every = 100;     // steps between evaluations (and at the end)
  double target = 1.0;      // stop once the test metric reaches this (> 1 never stops early)
  int eval_limit = 512;     // examples per evaluation of each split
  uint64_t seed = 0;        // batch order
  models::OptimizerConfig optimizer;
  bool progress = false;    // a progress line on stderr at each evaluation
};

struct Evaluation {
  long step = 0;
  double loss = 0;          // mean training loss since the previous evaluation
  double train_metric = 0;  // exact match / accuracy
  double test_metric = 0;
  std::map<std::string, double> metrics;  // task-specific extras (SRAVEN: id, ood, id_feature, ood_feature)
};

struct RunResult {
  std::string status;       // "completed", "target_reached" or "diverged"
  std::vector<Evaluation> evals;
  long steps_done = 0;
  double wall_seconds = 0;
  double tokens_per_second = 0;
  const Evaluation& last() const { return evals.back(); }
};

RunResult train_sequence(models::Transformer<float>& model, const SequenceTask& task, const TrainConfig& config);
RunResult train_classifier(models::OneLayer<float>& model, const ClassificationTask& task,
                           const TrainConfig& config);

// SRAVEN, problems generated on the fly from the training stream of `seed` (TrainConfig.seed orders
// nothing here: each step draws fresh problems). The model must be bidirectional with vocab F + 1.
// train_metric: all-K accuracy on the first training problems; test_metric: all-K accuracy on the OOD
// set (the headline); metrics: id, ood (all-K) and id_feature, ood_feature (per feature).
struct SravenTask {
  int features = 4, pool = kSravenRules;
  int test_count = 512;  // problems in the in-distribution test set and in the OOD set
  uint64_t seed = 0;
};
RunResult train_sraven(models::Transformer<float>& model, const SravenTask& task, const TrainConfig& config);

// Exact match of greedy decoding over the first `limit` examples: the generated continuation of the
// prompt must equal the predicted tokens exactly (EOS included).
double exact_match(models::Transformer<float>& model, const std::vector<SequenceExample>& examples, int limit);
// Accuracy of sign(output) over the first `limit` examples.
double accuracy(models::OneLayer<float>& model, const ClassificationTask& task, const ClassificationSet& set,
                int limit);

}  // namespace moesim::sims
