// The registries whole, in the spirit of ggml's test-backend-ops: every registered task is sampled at
// each of its example sizes (odd ones included), trained a few steps with every model of its family on
// every available backend and scored; every registered figure kind sweeps its example section and
// aggregates. A task or kind registered half-way fails here instead of in a user's hands.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "figures/figure.hpp"
#include "models/device_info.hpp"
#include "run_options.hpp"
#include "run_training.hpp"
#include "sweep/aggregate.hpp"
#include "sweep/sweep_runner.hpp"
#include "tasks/task.hpp"
#include "../scratch_dir.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

namespace registry_test {

std::vector<std::string> devices() {
  std::vector<std::string> out{"cpu"};
  if (moesim::models::cuda_compiled() && !moesim::models::cuda_devices().empty()) out.push_back("cuda");
  return out;
}

// Small models of every kind a family trains.
std::vector<Options> models_of(Family family) {
  if (family == Family::Transformer)
    return {{{"model", "dense"}, {"d", "8"}, {"layers", "1"}, {"heads", "2"}},
            {{"model", "moe"}, {"d", "8"}, {"layers", "2"}, {"heads", "2"}, {"experts", "3"}, {"top-k", "2"}}};
  return {{{"model", "onelayer"}, {"m", "3"}, {"heads", "1"}, {"hidden", "4"}},
          {{"model", "onelayer"}, {"m", "3"}, {"heads", "2"}, {"hidden", "4"}, {"experts", "3"}},
          {{"model", "onelayer"}, {"m", "2"}, {"heads", "1"}, {"hidden", "5"}, {"experts", "3"}, {"gate", "switch"}}};
}

bool unit(double x) { return x >= 0 && x <= 1; }

}  // namespace registry_test

using namespace registry_test;

TEST_CASE("registry: every task trains with every model of its family on every backend", "[sims][registry]") {
  for (const auto& task : tasks())
    for (const auto& example : task.examples)
      for (const auto& model : models_of(task.family))
        for (const auto& device : devices()) {
          Options given{{"task", task.name}, {"steps", "3"}, {"batch", "4"}, {"eval-every", "2"}, {"threads", "1"},
                        {"device", device}, {"seed", "5"}};
          given.insert(example.begin(), example.end());
          given.insert(model.begin(), model.end());
          std::string text;
          for (const auto& [k, v] : given) text += k + "=" + v + " ";
          INFO(text);
          const RunRecord r = run_training(parse_run_options(given), given, {});
          REQUIRE(r.result.status == "completed");
          REQUIRE(r.result.evals.size() == 2);  // at step 2 and at the end
          for (const auto& e : r.result.evals) {
            REQUIRE(std::isfinite(e.loss));
            REQUIRE(unit(e.train_metric));
            REQUIRE(unit(e.test_metric));
            for (const auto& [name, v] : e.metrics) REQUIRE(unit(v));
          }
          REQUIRE_FALSE(r.baselines.empty());
          for (const auto& [name, v] : r.baselines) REQUIRE(unit(v));
          for (const auto& spec : task.options) {
            if (r.config.contains(spec.name)) continue;
            INFO("--" << spec.name << " is not in the record's configuration");
            if (find_run_option(spec.name)->omitted_at_default) {
              // Added after records were made (length-2's --mask-empty): left out at its default, so those
              // records keep their identities, and in the identity at any other value.
              REQUIRE((spec.type == OptionType::Flag || !spec.choices.empty()));
              Options changed = given;
              changed[spec.name] = spec.type == OptionType::Flag ? "true"
                                   : spec.choices[0] == value_text(spec.fallback) ? spec.choices[1] : spec.choices[0];
              REQUIRE(run_config_json(parse_run_options(changed)).contains(spec.name));
              continue;
            }
            // Left out of the identity where it changes nothing (length-2's --fresh-labels with a stored
            // set): then any other value must be refused, so the identity loses nothing.
            REQUIRE_FALSE(spec.choices.empty());
            for (const auto& other : spec.choices) {
              if (Value(other) == spec.fallback) continue;
              Options changed = given;
              changed[spec.name] = other;
              REQUIRE_THROWS_AS(check_run_options(parse_run_options(changed)), UsageError);
            }
          }
          REQUIRE(r.params.total > 0);
          REQUIRE(r.params.active <= r.params.total);
          // The record reads back as written.
          const RunRecord back = record_from_json(record_json(r), "the record");
          REQUIRE(back.result.last().test_metric == r.result.last().test_metric);
          REQUIRE(back.config == r.config);
        }
}

TEST_CASE("registry: every figure kind sweeps its example and aggregates into its columns", "[sims][registry]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_registry");
  std::string text;
  for (const auto& kind : figure_kinds()) {
    std::string name = kind.name;
    std::replace(name.begin(), name.end(), '-', '_');
    text += "[" + name + "]\nkind = \"" + kind.name + "\"\n" + kind.example + "\n";
  }
  std::ofstream(dir / "all.toml") << text;
  const Preset preset = load_preset((dir / "all.toml").string());
  REQUIRE(preset.sections.size() == figure_kinds().size());
  SweepStats stats;
  const auto results = run_sweep(preset, {.out = dir / "out", .jobs = 2, .threads_per_job = 1}, stats);
  REQUIRE(stats.failed == 0);
  REQUIRE(stats.trained > 0);
  for (const auto& r : results) {
    const FigureKind& kind = figure_named(r.section->kind);
    INFO(kind.name);
    const std::string csv = section_csv(r);
    const std::string header = csv.substr(0, csv.find('\n'));
    REQUIRE(header.rfind("figure,series,", 0) == 0);
    for (const auto& column : kind.columns) REQUIRE(header.find("," + column) != std::string::npos);
    REQUIRE(long(std::count(csv.begin(), csv.end(), '\n')) == long(r.points.size()) + 1);
  }
}
