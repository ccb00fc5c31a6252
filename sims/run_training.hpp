#pragma once
// One training run from its options: builds the task and the model, trains, and returns the run's record
// (options, seed, device, parameter counts, model config, result). `moesim train` writes it with the
// checkpoint; a sweep writes it as one of its records.
#include <nlohmann/json.hpp>

#include "run_options.hpp"

namespace moesim::sims {

struct RunOutputs {
  bool checkpoint = false;  // write o.out/model.safetensors, making o.out after training
  bool progress = false;    // a progress line on stderr at each evaluation
};

// `options`: the options as given (name -> text), copied into the record. Throws UsageError for options
// that do not fit together.
nlohmann::json run_training(const RunOptions& o, const nlohmann::json& options, const RunOutputs& outputs);

}  // namespace moesim::sims
