// The run record: written and read by the same code, every field back as written, another schema refused
// with the file named.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/version.hpp"
#include "run_record.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

namespace {

RunRecord sample_record() {
  RunRecord r;
  r.section = "width", r.kind = "critical-width", r.id = "0123456789abcdef";
  r.given = {{"task", "length2"}, {"model", "onelayer"}, {"lr", "0.01"}, {"seed", "18446744073709551615"}};
  r.config = {{"task", "length2"}, {"lr", 0.01}, {"nodes", 8}};
  r.code = {2, 1, 1, 1};
  r.provenance = {"0.2.0", "0123456789ab-dirty", "Release", "g++ 12.2.0", "x86-64-v3", "AMD EPYC", "node7", 2,
                  "2026-11-30T10:00:00Z", "41_3"};
  r.seed = 18446744073709551615ull;
  r.device = "cpu";
  r.model_kind = "onelayer";
  r.model_config = {{"m", 8}};
  r.params = {.total = 10, .active = 9, .embedding = 3, .non_embedding = 7, .active_non_embedding = 6};
  r.baselines = {{"majority", 0.5}, {"arc_count", 0.75}};
  r.task = {{"p", 0.3}};
  r.result.status = "target_reached";
  r.result.steps_done = 250;
  r.result.wall_seconds = 1.5;
  r.result.tokens_per_second = 1e6;
  r.result.evals = {{.step = 100, .loss = NAN, .train_metric = 0.5, .test_metric = 0.25},
                    {.step = 250, .loss = 0.1, .train_metric = 0.99, .test_metric = 949.0 / 3072.0,
                     .metrics = {{"ood", 0.125}},
                     .routing = {{.load = {0.75, 0.25}, .max_over_mean = 1.5, .entropy = 0.5},
                                 {.load = {0.5, 0.5}, .max_over_mean = 1.0, .entropy = 0.625}}}};
  return r;
}

}  // namespace

TEST_CASE("run_record: every field reads back as written", "[sims][run_record]") {
  const RunRecord a = sample_record();
  const nlohmann::json j = record_json(a);
  REQUIRE(j["schema"] == RunRecord::kSchema);
  REQUIRE(j["options"]["lr"] == 0.01);  // typed, not "0.01"
  REQUIRE(j["options"]["seed"] == 18446744073709551615ull);
  REQUIRE(j["result"]["evaluations"][0]["loss"].is_null());
  const RunRecord b = record_from_json(nlohmann::json::parse(j.dump()), "x.json");
  REQUIRE(b.section == a.section);
  REQUIRE(b.kind == a.kind);
  REQUIRE(b.id == a.id);
  REQUIRE(b.given == a.given);
  REQUIRE(b.config == a.config);
  REQUIRE(b.code == a.code);
  REQUIRE(b.provenance.commit == "0123456789ab-dirty");
  REQUIRE(b.provenance.host == "node7");
  REQUIRE(b.provenance.threads == 2);
  REQUIRE(b.provenance.job == "41_3");
  REQUIRE(b.seed == a.seed);
  REQUIRE(b.model_kind == a.model_kind);
  REQUIRE(b.model_config == a.model_config);
  REQUIRE(b.params.active_non_embedding == 6);
  REQUIRE(b.baselines == a.baselines);
  REQUIRE(b.task == a.task);
  REQUIRE(b.result.status == "target_reached");
  REQUIRE(b.result.steps_done == 250);
  REQUIRE(std::isnan(b.result.evals[0].loss));
  REQUIRE(b.result.last().test_metric == 949.0 / 3072.0);  // the double, exactly
  REQUIRE(b.result.last().metrics.at("ood") == 0.125);
  REQUIRE(b.result.evals[0].routing.empty());  // a dense model's, or one recorded before routing existed
  REQUIRE(b.result.last().routing.size() == 2);
  REQUIRE(b.result.last().routing[1].load == std::vector<double>{0.5, 0.5});
  REQUIRE(b.result.last().routing[0].max_over_mean == 1.5);
  REQUIRE(b.result.last().routing[1].entropy == 0.625);
  REQUIRE(b.passed(0.3));
  REQUIRE_FALSE(b.passed(0.31));
}

TEST_CASE("run_record: another schema or a malformed record is refused, naming the file", "[sims][run_record]") {
  nlohmann::json j = record_json(sample_record());
  j["schema"] = 2;
  REQUIRE_THROWS_WITH(record_from_json(j, "old.json"), Catch::StartsWith("old.json: a run record of schema 2"));
  j.erase("schema");  // what moesim wrote before records had a schema
  REQUIRE_THROWS_WITH(record_from_json(j, "old.json"), Catch::Contains("schema 1"));
  j = record_json(sample_record());
  j["result"].erase("evaluations");
  REQUIRE_THROWS_WITH(record_from_json(j, "torn.json"), Catch::StartsWith("torn.json: not a well-formed run record"));
  j = record_json(sample_record());
  j["options"]["colour"] = 3;
  REQUIRE_THROWS_WITH(record_from_json(j, "odd.json"), Catch::Contains("colour"));
  REQUIRE_THROWS_AS(record_from_json(nlohmann::json::array(), "list.json"), UsageError);
}

TEST_CASE("run_record: the identity follows every option's value, defaults included, and the code versions",
          "[sims][run_record]") {
  const auto base = parse_run_options({{"task", "length2"}, {"model", "onelayer"}});
  const nlohmann::json config = run_config_json(base);
  const CodeVersion code{2, 1, 1, 1};
  const std::string id = run_identity(config, code);
  REQUIRE(id.size() == 16);
  REQUIRE(run_identity(config, code) == id);  // a pure function
  // A default that changes is a changed value in the resolved configuration: another identity. Every
  // option of the run is in it.
  for (const auto& [name, value] : config.items()) {
    nlohmann::json changed = config;
    changed[name] = value.is_string() ? nlohmann::json(value.get<std::string>() + "x")
                    : value.is_boolean() ? nlohmann::json(!value.get<bool>())
                                         : nlohmann::json(value.get<double>() + 1);
    INFO(name);
    REQUIRE(run_identity(changed, code) != id);
  }
  REQUIRE(config.contains("lr"));
  REQUIRE(config.contains("nodes"));     // the task's own
  REQUIRE(config.contains("device"));    // the backend computes other bits
  REQUIRE_FALSE(config.contains("threads"));  // the same bits with any thread count
  for (const CodeVersion bumped : {CodeVersion{3, 1, 1, 1}, CodeVersion{2, 2, 1, 1}, CodeVersion{2, 1, 2, 1}, CodeVersion{2, 1, 1, 2}})
    REQUIRE(run_identity(config, bumped) != id);
  REQUIRE(code_version("length2", "onelayer", "cpu").task == task_named("length2").version);
  REQUIRE(code_version("length2", "onelayer", "cpu").model == moesim::models::kOneLayerVersion);
  REQUIRE(code_version("phonebook", "moe", "cpu").model == moesim::models::kTransformerVersion);
  // Each backend its own version: a change of GPU results alone leaves the CPU's records valid.
  REQUIRE(code_version("phonebook", "moe", "cpu").backend == moesim::models::kBackendVersion);
  REQUIRE(code_version("phonebook", "moe", "cuda").backend == moesim::models::kCudaBackendVersion);
}

TEST_CASE("run_record: the Slurm job that trained a run, and none outside Slurm", "[sims][run_record]") {
  struct Saved {  // the test may itself run under Slurm: its variables come back at the end
    std::vector<std::pair<std::string, std::optional<std::string>>> vars;
    Saved() {
      for (const char* name : {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID"}) {
        const char* v = std::getenv(name);
        vars.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
        ::unsetenv(name);
      }
    }
    ~Saved() {
      for (const auto& [name, v] : vars)
        v ? (void)::setenv(name.c_str(), v->c_str(), 1) : (void)::unsetenv(name.c_str());
    }
  } saved;
  REQUIRE(this_provenance(1).job.empty());
  RunRecord a = sample_record();
  a.provenance = this_provenance(1);
  nlohmann::json j = record_json(a);
  REQUIRE_FALSE(j["provenance"].contains("job"));  // records written outside Slurm look as before
  REQUIRE(record_from_json(j, "x.json").provenance.job.empty());
  ::setenv("SLURM_JOB_ID", "57", 1);
  REQUIRE(this_provenance(1).job == "57");
  ::setenv("SLURM_ARRAY_JOB_ID", "41", 1), ::setenv("SLURM_ARRAY_TASK_ID", "3", 1);
  REQUIRE(this_provenance(1).job == "41_3");  // as squeue names an array's task
}

TEST_CASE("run_record: what a run computed leaves out when and where it ran", "[sims][run_record]") {
  RunRecord a = sample_record(), b = sample_record();
  b.provenance.host = "elsewhere", b.provenance.date = "2030-01-01T00:00:00Z";
  b.result.wall_seconds = 99, b.result.tokens_per_second = 1;
  REQUIRE(computed_json(a) == computed_json(b));
  // Nor which section asked for it, nor how its options were spelled: another section reuses the record.
  b.section = "other", b.kind = "phonebook", b.given["lr"] = "0.0100";
  REQUIRE(computed_json(a) == computed_json(b));
  b.result.evals[1].test_metric = std::nextafter(b.result.evals[1].test_metric, 1.0);  // one ulp
  REQUIRE(computed_json(a) != computed_json(b));
}
