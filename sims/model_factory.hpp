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

}  // namespace moesim::sims
