#pragma once
// The options of one training run: what `moesim train` takes on its command line and what a sweep
// preset's keys name (the long option names without dashes). One definition serves both, so a preset
// value is checked by the same ranges as a typed one.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace moesim::sims {

struct RunOptions {
  std::string task, model, out = "runs/train", gate = "hard", decay = "linear", device = "cpu";
  // Transformer
  int d = 64, layers = 2, heads = 4, ffn_mult = 1, experts = -1, top_k = 2;
  double balance_coef = 0.01, z_coef = 0.0;
  bool bidirectional = false;
  // OneLayer
  int m = 8, hidden = 32;
  // tasks
  int entries = 64, test_size = 200, nodes = 8, train_size = 2000, n = 64, seq_len = 8, dim = 8;
  int features = 4, rule_pool = 8;  // SRAVEN
  double p = -1, mean_path = 0;
  // training
  long steps = 500;
  int batch = 32, eval_every = 100, eval_limit = 512, threads = 0;
  double lr = 3e-3, weight_decay = 0.1, warmup = 0.05, clip = 1.0, target = 1.0;
  uint64_t seed = 0;
};

// Registers every run option on `app` (task and model required), writing into `o`.
void add_run_options(CLI::App& app, RunOptions& o);

// Option name (without dashes) -> its text as the command line would carry it ("64", "0.001", "true").
using Options = std::map<std::string, std::string>;

// Parses options given by name, checking each as `moesim train` would (a boolean flag takes "true" or
// "false"); throws UsageError with the parser's message. `base` is parsed first, `options` override it.
RunOptions parse_run_options(const Options& options, const Options& base = {});
bool is_run_option(const std::string& name);

// The checks that span options (a task the model cannot train, experts on a dense model, the model's
// own shape rules); throws UsageError.
void check_run_options(const RunOptions& o);

}  // namespace moesim::sims
