#include "run_options.hpp"

#include <algorithm>
#include <set>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "cli/usage_error.hpp"
#include "models/config.hpp"

namespace moesim::sims {

namespace {

// CLI::Range lets NaN through (every comparison with it is false): real-valued options also pass this.
const CLI::Validator kFinite(
    [](std::string& text) {
      try {
        size_t used = 0;
        const double v = std::stod(text, &used);
        return used == text.size() && std::isfinite(v) ? std::string() : "'" + text + "' is not a finite number";
      } catch (const std::exception&) {
        return "'" + text + "' is not a number";
      }
    },
    "FINITE");

}  // namespace

void add_run_options(CLI::App& t, RunOptions& a) {
  t.add_option("--task", a.task, "phonebook | shortest-path | sraven (Transformer) | length2 | gaussian (onelayer)")
      ->required()->check(CLI::IsMember({"phonebook", "shortest-path", "sraven", "length2", "gaussian"}));
  t.add_option("--model", a.model, "dense | moe (Transformer) | onelayer")->required()
      ->check(CLI::IsMember({"dense", "moe", "onelayer"}));
  t.add_option("--out", a.out, "output folder");
  t.add_option("--d", a.d, "Transformer width")->check(CLI::Range(2, 8192));
  t.add_option("--layers", a.layers, "Transformer depth")->check(CLI::Range(1, 128));
  t.add_option("--heads", a.heads, "attention heads")->check(CLI::Range(1, 256));
  t.add_option("--ffn-mult", a.ffn_mult, "FFN hidden = ffn-mult * d")->check(CLI::Range(1, 16));
  t.add_option("--experts", a.experts, "experts (moe: default 8; onelayer: 0 = dense psi)")->check(CLI::Range(0, 4096));
  t.add_option("--top-k", a.top_k, "experts per token (moe)")->check(CLI::Range(1, 4096));
  t.add_option("--balance-coef", a.balance_coef, "load-balancing loss coefficient")->check(CLI::Range(0.0, 100.0))->check(kFinite);
  t.add_option("--z-coef", a.z_coef, "router z-loss coefficient")->check(CLI::Range(0.0, 100.0))->check(kFinite);
  t.add_flag("--bidirectional", a.bidirectional, "bidirectional attention (default causal)");
  t.add_option("--m", a.m, "one-layer embedding width m")->check(CLI::Range(1, 4096));
  t.add_option("--hidden", a.hidden, "one-layer psi hidden width m' (0: the same as m)")->check(CLI::Range(0, 65536));
  t.add_option("--gate", a.gate, "one-layer MoE routing: hard | switch")->check(CLI::IsMember({"hard", "switch"}));
  t.add_option("--entries", a.entries, "phone book size")->check(CLI::Range(1, 10000000));
  t.add_option("--test-size", a.test_size, "test examples")->check(CLI::Range(1, 1000000));
  t.add_option("--nodes", a.nodes, "graph vertices")->check(CLI::Range(3, 5000));
  auto* p_opt = t.add_option("--p", a.p, "edge probability")->check(CLI::Range(0.0, 1.0))->check(kFinite);
  t.add_option("--mean-path", a.mean_path, "calibrate p to this mean path length")->check(CLI::Range(1.0, 1e6))->check(kFinite)->excludes(p_opt);
  t.add_option("--features", a.features, "SRAVEN features (and rules) per problem K")->check(CLI::Range(1, 16));
  t.add_option("--rule-pool", a.rule_pool, "SRAVEN rules drawn from: ids 0..rule-pool-1")->check(CLI::Range(1, 8));
  t.add_option("--train-size", a.train_size, "training examples (graph tasks)")->check(CLI::Range(1, 100000000));
  t.add_option("--n", a.n, "Gaussian sequences to memorise")->check(CLI::Range(1, 100000000));
  t.add_option("--seq-len", a.seq_len, "Gaussian sequence length N")->check(CLI::Range(1, 65536));
  t.add_option("--dim", a.dim, "Gaussian input dimension")->check(CLI::Range(1, 65536));
  t.add_option("--steps", a.steps, "optimizer steps")->check(CLI::Range(1L, 100000000L));
  t.add_option("--batch", a.batch, "batch size")->check(CLI::Range(1, 65536));
  t.add_option("--lr", a.lr, "peak learning rate")->check(CLI::Range(0.0, 10.0))->check(kFinite);
  t.add_option("--weight-decay", a.weight_decay, "AdamW weight decay")->check(CLI::Range(0.0, 10.0))->check(kFinite);
  t.add_option("--warmup", a.warmup, "warmup fraction of the steps")->check(CLI::Range(0.0, 1.0))->check(kFinite);
  t.add_option("--decay", a.decay, "linear | cosine")->check(CLI::IsMember({"linear", "cosine"}));
  t.add_option("--clip", a.clip, "gradient-norm clip (0 = off)")->check(CLI::Range(0.0, 1e6))->check(kFinite);
  t.add_option("--eval-every", a.eval_every, "steps between evaluations")->check(CLI::Range(1, 100000000));
  t.add_option("--eval-limit", a.eval_limit, "examples of each split per evaluation")->check(CLI::Range(1, 100000000));
  t.add_option("--target", a.target, "stop when the test metric reaches this")->check(CLI::Range(0.0, 2.0))->check(kFinite);
  t.add_option("--seed", a.seed, "seed of data, initialisation and batch order");
  t.add_option("--threads", a.threads, "OpenMP threads (0 = all)")->check(CLI::Range(0, 1024));
  t.add_option("--device", a.device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
}

namespace {

void append(std::vector<std::string>& args, const Options& options) {
  for (const auto& [name, text] : options) {
    if (name == "bidirectional") {  // the one flag
      if (text != "true" && text != "false")
        throw UsageError("--bidirectional: '" + text + "' is not a boolean (accepted: true, false)");
      if (text == "true") args.push_back("--bidirectional");
      continue;
    }
    args.push_back("--" + name);
    args.push_back(text);
  }
}

}  // namespace

RunOptions parse_run_options(const Options& options, const Options& base) {
  CLI::App app;
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  RunOptions o;
  add_run_options(app, o);
  Options merged = base;
  for (const auto& [name, text] : options) merged[name] = text;
  std::vector<std::string> args;
  append(args, merged);
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what());
  }
  return o;
}

bool is_run_option(const std::string& name) {
  // The names, read once from the option definitions themselves.
  static const std::set<std::string> names = [] {
    CLI::App app;
    RunOptions o;
    add_run_options(app, o);
    std::set<std::string> out;
    for (const CLI::Option* opt : app.get_options())
      if (opt->get_name() != "--help") out.insert(opt->get_name().substr(2));
    return out;
  }();
  return names.count(name) > 0;
}

void check_run_options(const RunOptions& a) {
  const bool sequence = a.task == "phonebook" || a.task == "shortest-path" || a.task == "sraven";
  if (sequence == (a.model == "onelayer"))
    throw UsageError("--model " + a.model + " cannot train --task " + a.task +
                     " (phonebook, shortest-path, sraven: dense or moe; length2, gaussian: onelayer)");
  if (a.model == "dense" && a.experts > 0) throw UsageError("--experts needs --model moe or onelayer");
  if (sequence) {
    models::TransformerConfig c{.d = a.d, .layers = a.layers, .heads = a.heads, .ffn_mult = a.ffn_mult,
                                .experts = a.model == "moe" ? (a.experts < 0 ? 8 : a.experts) : 0, .top_k = a.top_k};
    try {
      models::validate(c);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("model: ") + e.what());
    }
  }
}

}  // namespace moesim::sims
