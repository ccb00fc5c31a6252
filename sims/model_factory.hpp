#pragma once
// The model a run trains, built from its options and its task's shape: the Transformer (--model dense |
// moe) or the one-layer model (--model onelayer), with its kind, config and parameter counts for the record.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "models/backend.hpp"
#include "models/config.hpp"
#include "models/model.hpp"
#include "run_options.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {

struct BuiltModel {
  std::unique_ptr<models::Model<float>> model;
  std::string kind;        // "transformer" or "onelayer": the checkpoint's kind
  nlohmann::json config;   // the model's config (model_config_json.hpp)
  models::ParamCounts counts;
};

// Throws UsageError for a shape the model rules refuse.
BuiltModel build_model(const RunOptions& o, const TaskShape& shape, models::Backend<float>& backend);

// The model configs a run's options give for a task's shape (unvalidated).
models::TransformerConfig transformer_config(const RunOptions& o, const TaskShape& shape);
models::OneLayerConfig one_layer_config(const RunOptions& o, const TaskShape& shape);
// The non-embedding parameter counts (total and active) of the model a run's options build: they do not
// depend on the task's vocabulary or input width, so no task data is made. The embedding fields are left 0.
models::ParamCounts non_embedding_counts(const RunOptions& o);

}  // namespace moesim::sims
