#pragma once
// A run's record: what `moesim train` writes as run.json and a sweep as one of its records, and what the
// aggregator reads back. One struct, one writer and one reader, and a schema version: a record of another
// version is refused, naming the file, instead of being misread.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "models/config.hpp"
#include "run_options.hpp"
#include "trainer.hpp"

namespace moesim::sims {

// The versions of the code that computed a run (models/version.hpp): the backends, the run's model family,
// the training pipeline and the run's task. A change of any of them makes another run.
struct CodeVersion {
  int backend = 0, model = 0, trainer = 0, task = 0;
  bool operator==(const CodeVersion&) const = default;
};
// This binary's, for a run on `device` ("cpu" or "cuda", resolved): each backend has its own version.
CodeVersion code_version(const std::string& task, const std::string& model, const std::string& device);

// Where and with what a run was computed: enough to trace a result to the code and machine that made it.
struct Provenance {
  std::string moesim;      // version
  std::string commit;      // the commit the binary was built from (build_info.hpp), "-dirty" appended
  std::string build_type, compiler, arch;
  std::string cpu, host;   // CPU model name, host name
  int threads = 0;         // OpenMP threads of the run (results do not depend on it: the same bits)
  std::string date;        // when the run finished, UTC
  std::string job;         // the scheduler's job that trained it: Slurm's ARRAYJOB_TASK or JOBID; empty outside
};
Provenance this_provenance(int threads);

// A run's identity: a hash of its resolved configuration and the code versions that computed it. Two
// runs with one identity compute the same bits (on one build of one -march); anything else is another run.
std::string run_identity(const nlohmann::json& config, const CodeVersion& code);

struct RunRecord {
  static constexpr int kSchema = 3;
  std::string section, kind, id;  // in a sweep: the figure's table, its kind, the run's id (else empty)
  Options given;                  // the options as given: what the run was asked to do
  nlohmann::json config;          // every option of the run, resolved and typed (run_config_json)
  CodeVersion code;
  Provenance provenance;
  uint64_t seed = 0;
  std::string device;             // the backend that trained it
  std::string model_kind;         // "transformer" or "onelayer"
  nlohmann::json model_config;    // the model's config (model_config_json.hpp)
  models::ParamCounts params;
  std::map<std::string, double> baselines;  // the task's trivial baselines on its test set
  nlohmann::json task = nlohmann::json::object();  // what the task adds (TaskRun::record)
  RunResult result;

  // Whether the run reached `target`: on its confirmation set when it has one (examples that played no
  // part in training or early stopping), else on its test set; a diverged run never passes.
  bool passed(double target) const {
    if (result.status == "diverged") return false;
    return result.confirm_metric ? *result.confirm_metric >= target : result.last().test_metric >= target;
  }
};

nlohmann::json record_json(const RunRecord& r);
// What the run computed: the record without what depends on when and where it ran (provenance, wall
// time, tokens/s) and on who asked for it (the section, its kind, the options as given: a record is reused
// by every section whose run has its identity). Two runs of one identity must agree on it bit for bit
// (`sweep --verify`).
nlohmann::json computed_json(const RunRecord& r);
// The record in `j`; throws UsageError "WHERE: what is wrong" for another schema or a malformed record.
RunRecord record_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace moesim::sims
