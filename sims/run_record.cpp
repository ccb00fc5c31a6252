#include "run_record.hpp"

#include <cmath>

#include "usage_error.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

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
  }
  json out{{"status", r.status}, {"steps_done", r.steps_done}, {"wall_seconds", r.wall_seconds},
           {"tokens_per_second", r.tokens_per_second}, {"train_metric", r.last().train_metric},
           {"test_metric", r.last().test_metric}, {"evaluations", evals}};
  if (!r.last().metrics.empty()) out["metrics"] = r.last().metrics;
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
    r.evals.push_back(std::move(ev));
  }
  if (r.evals.empty()) throw std::invalid_argument("no evaluations");
  return r;
}

}  // namespace

json record_json(const RunRecord& r) {
  json j{{"schema", RunRecord::kSchema}};
  if (!r.section.empty()) j["section"] = r.section, j["kind"] = r.kind, j["id"] = r.id;
  j["options"] = given_json(r.given);
  j["config"] = r.config;
  j["seed"] = r.seed;
  j["device"] = r.device;
  j["model"] = {{"kind", r.model_kind}, {"config", r.model_config}};
  j["params"] = counts_json(r.params);
  j["baselines"] = r.baselines;
  j["task"] = r.task;
  j["result"] = result_json(r.result);
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
    r.seed = j.at("seed").get<uint64_t>();
    r.device = j.at("device").get<std::string>();
    r.model_kind = j.at("model").at("kind").get<std::string>();
    r.model_config = j.at("model").at("config");
    const json& p = j.at("params");
    r.params = {p.at("total").get<long>(), p.at("active").get<long>(), p.at("embedding").get<long>(),
                p.at("non_embedding").get<long>(), p.at("active_non_embedding").get<long>()};
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
