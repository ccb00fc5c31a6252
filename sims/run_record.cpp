#include "run_record.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "build_info.hpp"
#include "models/version.hpp"
#include "sweep/fnv_hash.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string host_name() {
  char name[256] = {0};
  return ::gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
}

json code_json(const CodeVersion& c) {
  return {{"backend", c.backend}, {"model", c.model}, {"trainer", c.trainer}, {"task", c.task}};
}

json provenance_json(const Provenance& p) {
  json j{{"moesim", p.moesim}, {"commit", p.commit}, {"build_type", p.build_type}, {"compiler", p.compiler},
         {"arch", p.arch}, {"cpu", p.cpu}, {"host", p.host}, {"threads", p.threads}, {"date", p.date}};
  if (!p.job.empty()) j["job"] = p.job;
  return j;
}

// The Slurm job this process runs in, as squeue shows it (an array's task as ARRAYJOB_TASK); "" outside Slurm.
std::string slurm_job() {
  const char* array = std::getenv("SLURM_ARRAY_JOB_ID");
  const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (array && task) return std::string(array) + "_" + task;
  const char* job = std::getenv("SLURM_JOB_ID");
  return job ? job : "";
}

json counts_json(const models::ParamCounts& p) {
  return {{"total", p.total}, {"active", p.active}, {"embedding", p.embedding}, {"non_embedding", p.non_embedding},
          {"active_non_embedding", p.active_non_embedding}};
}

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double number_or_nan(const json& j) { return j.is_null() ? NAN : j.get<double>(); }

json result_json(const RunResult& r) {
  json evals = json::array();
  for (const auto& e : r.evals) {
    evals.push_back({{"step", e.step}, {"loss", finite_or_null(e.loss)}, {"train_metric", e.train_metric},
                     {"test_metric", e.test_metric}});
    if (!e.metrics.empty()) evals.back()["metrics"] = e.metrics;
    if (!e.routing.empty()) {
      json layers = json::array();
      for (const auto& l : e.routing)
        layers.push_back({{"load", l.load}, {"max_over_mean", l.max_over_mean}, {"entropy", l.entropy}});
      evals.back()["routing"] = layers;
    }
  }
  json out{{"status", r.status}, {"steps_done", r.steps_done}, {"wall_seconds", r.wall_seconds},
           {"tokens_per_second", r.tokens_per_second}, {"train_metric", r.last().train_metric},
           {"test_metric", r.last().test_metric}, {"evaluations", evals}};
  if (!r.last().metrics.empty()) out["metrics"] = r.last().metrics;
  if (r.confirm_metric) out["confirm_metric"] = *r.confirm_metric;
  return out;
}

RunResult result_from_json(const json& j) {
  RunResult r;
  r.status = j.at("status").get<std::string>();
  r.steps_done = j.at("steps_done").get<long>();
  r.wall_seconds = j.at("wall_seconds").get<double>();
  r.tokens_per_second = j.at("tokens_per_second").get<double>();
  for (const auto& e : j.at("evaluations")) {
    Evaluation ev{e.at("step").get<long>(), number_or_nan(e.at("loss")), e.at("train_metric").get<double>(),
                  e.at("test_metric").get<double>(), {}};
    if (e.contains("metrics")) ev.metrics = e.at("metrics").get<std::map<std::string, double>>();
    if (e.contains("routing"))
      for (const auto& l : e.at("routing"))
        ev.routing.push_back({l.at("load").get<std::vector<double>>(), l.at("max_over_mean").get<double>(),
                              l.at("entropy").get<double>()});
    r.evals.push_back(std::move(ev));
  }
  if (r.evals.empty()) throw std::invalid_argument("no evaluations");
  if (j.contains("confirm_metric")) r.confirm_metric = j.at("confirm_metric").get<double>();
  return r;
}

}  // namespace

CodeVersion code_version(const std::string& task, const std::string& model, const std::string& device) {
  const int family = model_family(model) == Family::OneLayer ? models::kOneLayerVersion : models::kTransformerVersion;
  const int backend = device == "cuda" ? models::kCudaBackendVersion : models::kBackendVersion;
  return {backend, family, kTrainerVersion, task_named(task).version};
}

Provenance this_provenance(int threads) {
  const BuildInfo& b = build_info();
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return {b.version, b.commit + (b.dirty ? "-dirty" : ""), b.build_type, b.compiler, b.arch, cpu_model(), host_name(),
          threads, date, slurm_job()};
}

std::string run_identity(const nlohmann::json& config, const CodeVersion& code) {
  return fnv1a_hex(json{{"config", config}, {"code", code_json(code)}}.dump());
}

json record_json(const RunRecord& r) {
  json j{{"schema", RunRecord::kSchema}};
  if (!r.section.empty()) j["section"] = r.section, j["kind"] = r.kind;
  if (!r.id.empty()) j["id"] = r.id;
  j["options"] = given_json(r.given);
  j["config"] = r.config;
  j["code"] = code_json(r.code);
  j["provenance"] = provenance_json(r.provenance);
  j["seed"] = r.seed;
  j["device"] = r.device;
  j["model"] = {{"kind", r.model_kind}, {"config", r.model_config}};
  j["params"] = counts_json(r.params);
  j["baselines"] = r.baselines;
  j["task"] = r.task;
  j["result"] = result_json(r.result);
  return j;
}

json computed_json(const RunRecord& r) {
  json j = record_json(r);
  j.erase("provenance");
  j.erase("section");
  j.erase("kind");
  j.erase("options");
  j["result"].erase("wall_seconds");
  j["result"].erase("tokens_per_second");
  return j;
}

RunRecord record_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw UsageError(where + ": not a run record (a JSON object is expected)");
  const json schema = j.contains("schema") ? j["schema"] : json(1);
  if (schema != json(RunRecord::kSchema))
    throw UsageError(where + ": a run record of schema " + schema.dump() + "; this moesim reads schema " +
                     std::to_string(RunRecord::kSchema) + " (rerun into a fresh folder, or delete the record to rerun it)");
  RunRecord r;
  try {
    r.section = j.value("section", "");
    r.kind = j.value("kind", "");
    r.id = j.value("id", "");
    for (const auto& [name, value] : j.at("options").items()) {
      const RunOption* opt = find_run_option(name);
      if (!opt) throw std::invalid_argument("options." + name + " is no option of this moesim");
      r.given[name] = value_text(value_from_json(opt->spec, value));
    }
    r.config = j.at("config");
    const json& code = j.at("code");
    r.code = {code.at("backend").get<int>(), code.at("model").get<int>(), code.at("trainer").get<int>(),
              code.at("task").get<int>()};
    const json& p = j.at("provenance");
    r.provenance = {p.at("moesim").get<std::string>(), p.at("commit").get<std::string>(),
                    p.at("build_type").get<std::string>(), p.at("compiler").get<std::string>(),
                    p.at("arch").get<std::string>(), p.at("cpu").get<std::string>(), p.at("host").get<std::string>(),
                    p.at("threads").get<int>(), p.at("date").get<std::string>(), p.value("job", "")};
    r.seed = j.at("seed").get<uint64_t>();
    r.device = j.at("device").get<std::string>();
    r.model_kind = j.at("model").at("kind").get<std::string>();
    r.model_config = j.at("model").at("config");
    const json& n = j.at("params");
    r.params = {n.at("total").get<long>(), n.at("active").get<long>(), n.at("embedding").get<long>(),
                n.at("non_embedding").get<long>(), n.at("active_non_embedding").get<long>()};
    r.baselines = j.at("baselines").get<std::map<std::string, double>>();
    r.task = j.at("task");
    r.result = result_from_json(j.at("result"));
  } catch (const UsageError& e) {
    throw UsageError(where + ": " + e.what());
  } catch (const std::exception& e) {
    throw UsageError(where + ": not a well-formed run record (" + e.what() + ")");
  }
  return r;
}

}  // namespace moesim::sims
