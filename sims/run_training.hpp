#pragma once
// One training run from its options: its task from the registry, the model of the task's family, the
// trainer, and the run's record. `moesim train` writes the record with the checkpoint; a sweep writes it
// as one of its records.
#include <string>

#include "run_options.hpp"
#include "run_record.hpp"

namespace moesim::sims {

struct RunOutputs {
  std::string checkpoint;   // write the model here (safetensors) after training; "" for none
  bool progress = false;    // a progress line on stderr at each evaluation
};

// `o` parsed and resolved (parse_run_options); `given`: the options as given, copied into the record.
// Throws UsageError for options that do not fit together.
RunRecord run_training(const RunOptions& o, const Options& given, const RunOutputs& outputs);

}  // namespace moesim::sims
