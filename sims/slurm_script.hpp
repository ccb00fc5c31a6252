#pragma once
// The job scripts of `moesim slurm submit`: an array of N tasks, task I running `moesim sweep PRESET --out
// DIR --shard I/N`, and an aggregation job that, once the array has succeeded, writes the CSVs, manifest
// and figures from the records (`sweep --aggregate`, which refuses to draw if a unit has no record).
#include <string>

namespace moesim::sims {

struct SlurmJob {
  std::string moesim;  // the moesim binary the jobs run (absolute)
  std::string preset;  // the preset file (absolute)
  std::string out;     // the sweep folder (absolute), shared by every node
  std::string name;    // the preset's name, for the job names
  int array_size = 1;
  int cpus_per_task = 1;  // each task runs this many runs side by side (--jobs), one thread each
  int gpus_per_task = 0;  // > 0: --device cuda, for the array and the aggregation (the device is part of
                          // a run's identity: records trained on cuda are found only by a cuda sweep)
  std::string partition, time;  // "" leaves them to the cluster's defaults
};

std::string array_script(const SlurmJob& job);
std::string aggregate_script(const SlurmJob& job);

// A word for the shell, single-quoted.
std::string shell_quoted(const std::string& s);

// Why `out` cannot go on an #SBATCH line ("" if it can): whitespace would cut it, '%' is a pattern there.
std::string sbatch_path_problem(const std::string& out);

}  // namespace moesim::sims
