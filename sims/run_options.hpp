#pragma once
// The options of one training run: what `moesim train` takes on its command line, what a preset's keys
// and a config file's keys name (the long option names without dashes), and what a run record holds.
// Each option is declared once (option_spec.hpp): the common ones in run_options.cpp (the run, the two
// model families, training), each task's own in its file under sims/tasks/. The declaration gives the
// parser, the range checks, --help with the default, and the typed record.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "option_spec.hpp"

namespace moesim::sims {

struct RunOptions {
  // the run
  std::string task, model, out, device = "auto";  // out "": a new folder under runs/train/; device: sims/device.hpp
  uint64_t seed = 0;
  int threads = 0;
  std::string precision = "fp32";  // the GPU's matrix products: fp32 | bf16 (models::MatmulPrecision)
  // Transformer
  int d = 64, layers = 2, heads = 4, ffn_mult = 1;
  int experts = -1;  // -1 until resolved: 8 for moe, 0 (dense psi) for onelayer
  int top_k = 2;
  double balance_coef = 0.01, z_coef = 0.0;
  bool bidirectional = false;
  // MoE gate: "auto" until resolved. Transformer: renormalized | probability (auto: probability at
  // top-k 1, where renormalising freezes the router, renormalized above); one-layer: hard | switch (auto: hard).
  std::string gate = "auto";
  // OneLayer
  int m = 8;
  int hidden = 32;   // 0 until resolved: the same as m
  std::string readout_init = "normal";  // psi's output weights at initialisation: normal | zero
  double router_balance = 0.0;  // the MoE router's load-balancing loss coefficient (0: none)
  // training
  long steps = 500;
  int batch = 32, eval_every = 100, eval_limit = 512;  // eval_limit 0: every example
  double lr = 3e-3, weight_decay = 0.1, warmup = 0.05, clip = 1.0, target = 1.0;
  int lr_width = 0;  // one-layer: matrices of fan-in above it train at lr * lr_width / fan-in (0: off)
  std::string decay = "linear";
  // the options its task declares (sims/tasks/), typed
  OptionValues task_options;

  // Examples of each split scored per evaluation: eval_limit, or all of them where it is 0.
  int examples_per_evaluation() const { return eval_limit == 0 ? std::numeric_limits<int>::max() : eval_limit; }
  // With fresh training data (train-size 0) the "train" split an evaluation scores is the first examples the
  // run trained on: at most eight batches of them, and no more than an evaluation scores.
  int fresh_train_split() const { return std::min(examples_per_evaluation(), batch * 8); }
};

// Option name (without dashes) -> its text as the command line would carry it ("64", "0.001", "true").
using Options = std::map<std::string, std::string>;

// One declared option and where its value lives in RunOptions.
struct RunOption {
  OptionSpec spec;
  std::function<Value(const RunOptions&)> get;
  std::function<void(RunOptions&, const Value&)> set;
  std::vector<std::string> tasks;  // the tasks that declare it; empty: a common option
  bool in_config = true;           // part of the run's resolved configuration (not --out, --threads)
  // Left out of the configuration at its default: an option added after records were made, so that those
  // records keep their identities (they were computed at the default).
  bool omitted_at_default = false;
};

// Every option: the common ones, then the tasks' own (each name once).
const std::vector<RunOption>& run_options();
const RunOption* find_run_option(const std::string& name);
bool is_run_option(const std::string& name);

// The defaults, every task's options included.
RunOptions default_run_options();

// Registers every run option on `app` (task and model required), or those `include` accepts, writing into
// `o`; call resolve_run_options(o) after parsing.
void add_run_options(CLI::App& app, RunOptions& o, const std::function<bool(const RunOption&)>& include = {});
// The defaults that depend on other options: experts (8 for moe, 0 for onelayer), hidden (0: m), gate.
void resolve_run_options(RunOptions& o);
// The run options typed on `app` after parsing (the last value of an option given twice; a flag as "true"),
// by name: what `train` records as given and what check_task_options checks.
Options typed_run_options(const CLI::App& app);

// Throws UsageError when `given` names an option that only other tasks than `task` take (it would be
// ignored), naming the tasks that take it and the options `task` takes.
void check_task_options(const std::string& task, const Options& given);

// Parses options given by name, checking each as `moesim train` would (a boolean flag takes "true" or
// "false"), then resolves; throws UsageError with the parser's message. `base` is parsed first,
// `options` override it.
RunOptions parse_run_options(const Options& options, const Options& base = {});

// The checks that span options (a task the model cannot train, experts on a dense model, the model's
// own shape rules, the task's own checks); throws UsageError.
void check_run_options(const RunOptions& o);

// The run's configuration as a record holds it: every option that applies to it (the common ones and
// its task's), defaults included, typed: {"d": 64, "lr": 0.003, "task": "length2", ...}.
nlohmann::json run_config_json(const RunOptions& o);
// Options as given, typed the same way.
nlohmann::json given_json(const Options& options);

}  // namespace moesim::sims
