#pragma once
// One training run from its options: its task from the registry, the model of the task's family, the
// trainer, and the run's record. `moesim train` writes the record with the checkpoint; a sweep writes it
// as one of its records.
#include <filesystem>
#include <functional>
#include <string>

#include "run_options.hpp"
#include "run_record.hpp"
#include "trainer.hpp"

namespace moesim::sims {

struct RunOutputs {
  // After training: the folder to write the checkpoint into (model.safetensors), made by the callee, so
  // that a refused or failed run leaves no folder behind. Empty: no checkpoint.
  std::function<std::filesystem::path()> folder;
  bool progress = false;    // a progress line on stderr at each evaluation
};

// The trainer's settings from a run's options (steps, batch, evaluations, target, optimizer).
TrainConfig train_config(const RunOptions& o, bool progress = false);

// `o` parsed and resolved (parse_run_options); `given`: the options as given, copied into the record.
// Throws UsageError for options that do not fit together.
RunRecord run_training(const RunOptions& o, const Options& given, const RunOutputs& outputs);

}  // namespace moesim::sims
