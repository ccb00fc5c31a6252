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

struct RunRecord {
  static constexpr int kSchema = 2;
  std::string section, kind, id;  // in a sweep: the figure's table, its kind, the run's id (else empty)
  Options given;                  // the options as given: what the run was asked to do
  nlohmann::json config;          // every option of the run, resolved and typed (run_config_json)
  uint64_t seed = 0;
  std::string device;             // the backend that trained it
  std::string model_kind;         // "transformer" or "onelayer"
  nlohmann::json model_config;    // the model's config (model_config_json.hpp)
  models::ParamCounts params;
  std::map<std::string, double> baselines;  // the task's trivial baselines on its test set
  nlohmann::json task = nlohmann::json::object();  // what the task adds (TaskRun::record)
  RunResult result;

  bool passed(double target) const {
    return result.status != "diverged" && result.last().test_metric >= target;
  }
};

nlohmann::json record_json(const RunRecord& r);
// The record in `j`; throws UsageError "WHERE: what is wrong" for another schema or a malformed record.
RunRecord record_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace moesim::sims
