#include "slurm_script.hpp"

#include <cctype>
#include <sstream>

namespace moesim::sims {

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string sbatch_path_problem(const std::string& out) {
  for (char c : out) {
    if (std::isspace(static_cast<unsigned char>(c))) return "it holds whitespace, which would cut it short on an #SBATCH line";
    if (c == '%') return "it holds '%', which sbatch reads as a file-name pattern";
  }
  return "";
}

namespace {

// The preset's name as a job name: letters, digits, '-', '_' and '.' (others become '_').
std::string job_name(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return out;
}

// Named in the scripts, never left to --device auto: the array and its aggregation must agree on the device
// (a record's identity includes it) whatever nodes they land on.
const char* device_of(const SlurmJob& job) { return job.gpus_per_task > 0 ? "cuda" : "cpu"; }

void header(std::ostringstream& os, const SlurmJob& job, const std::string& name, const std::string& log) {
  os << "#!/bin/bash\n"
     << "#SBATCH --job-name=" << job_name(name) << "\n"
     << "#SBATCH --output=" << job.out << "/slurm/logs/" << log << "\n"
     << "#SBATCH --ntasks=1\n";
  if (!job.partition.empty()) os << "#SBATCH --partition=" << job.partition << "\n";
  if (!job.time.empty()) os << "#SBATCH --time=" << job.time << "\n";
}

}  // namespace

std::string array_script(const SlurmJob& job) {
  std::ostringstream os;
  header(os, job, "moesim-" + job.name, "%A_%a.out");
  os << "#SBATCH --array=0-" << job.array_size - 1 << "\n"
     << "#SBATCH --cpus-per-task=" << job.cpus_per_task << "\n";
  if (job.gpus_per_task > 0) os << "#SBATCH --gpus-per-task=" << job.gpus_per_task << "\n";
  os << "# Task I runs the units of shard I (a hash of each unit's options mod " << job.array_size
     << "); finished runs are\n# reused, claimed ones left to their holder, so a resubmitted array does only "
        "what is left.\n"
     << "exec " << shell_quoted(job.moesim) << " sweep " << shell_quoted(job.preset) << " --out " << shell_quoted(job.out)
     << " --shard \"${SLURM_ARRAY_TASK_ID}/" << job.array_size << "\" --jobs " << job.cpus_per_task
     << " --threads-per-job 1 --device " << device_of(job) << "\n";
  return os.str();
}

std::string aggregate_script(const SlurmJob& job) {
  std::ostringstream os;
  header(os, job, "moesim-" + job.name + "-aggregate", "%j-aggregate.out");
  os << "#SBATCH --cpus-per-task=1\n"
     << "# After the array succeeded: CSVs, manifest and figures from the records; a unit without one is\n"
        "# reported and nothing is drawn (exit 1).\n"
     << shell_quoted(job.moesim) << " sweep " << shell_quoted(job.preset) << " --out " << shell_quoted(job.out)
     << " --aggregate --device " << device_of(job) << " || exit\n"
     << "exec " << shell_quoted(job.moesim) << " plot " << shell_quoted(job.out) << "\n";
  return os.str();
}

}  // namespace moesim::sims
