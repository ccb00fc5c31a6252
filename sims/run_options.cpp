#include "run_options.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "graphs/calibrate.hpp"
#include "models/config.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

template <class F>
Value to_value(const F& v) {
  if constexpr (std::is_same_v<F, bool> || std::is_same_v<F, std::string> || std::is_same_v<F, double> ||
                std::is_same_v<F, uint64_t>)
    return v;
  else
    return int64_t(v);
}

template <class F>
F from_value(const Value& v) {
  if constexpr (std::is_same_v<F, bool> || std::is_same_v<F, std::string> || std::is_same_v<F, double> ||
                std::is_same_v<F, uint64_t>)
    return std::get<F>(v);
  else
    return F(std::get<int64_t>(v));
}

// An option stored in a field of RunOptions; its default is the field's initial value.
template <class F>
RunOption field(F RunOptions::*member, OptionSpec spec, std::string group) {
  spec.fallback = to_value(RunOptions{}.*member);
  spec.group = std::move(group);
  return {spec, [member](const RunOptions& o) { return to_value(o.*member); },
          [member](RunOptions& o, const Value& v) { o.*member = from_value<F>(v); }, {}};
}

std::vector<std::string> model_names() { return {"dense", "moe", "onelayer"}; }

std::vector<RunOption> declare() {
  const char* run = "Run";
  const char* model = "Model (Transformer: --model dense | moe; one-layer: --model onelayer)";
  const char* training = "Training";
  std::vector<std::string> task_names;
  std::string task_help;
  for (const auto& t : tasks()) {
    task_names.push_back(t.name);
    task_help += (task_help.empty() ? "" : "; ") + t.name + " (" + family_models(t.family) + ")";
  }
  // Each spec below is written with a placeholder default (0 or ""): field() replaces it with the RunOptions
  // member's initial value, so run_options.hpp is the one place the defaults live.
  std::vector<RunOption> out{
      field(&RunOptions::task, text_option("task", "", task_names, task_help), run),
      field(&RunOptions::model, text_option("model", "", model_names(), "dense | moe (Transformer) | onelayer"), run),
      field(&RunOptions::out, text_option("out", "", {}, "output folder (default: a new folder under runs/train/)"), run),
      field(&RunOptions::seed, unsigned_option("seed", 0, "seed of data, initialisation and batch order"), run),
      field(&RunOptions::threads, int_option("threads", 0, 0, 1024, "OpenMP threads (0 = all)"), run),
      field(&RunOptions::device, text_option("device", "", {"cpu", "cuda", "auto"}, "cpu | cuda | auto (the GPU when one is visible, else the CPU)"), run),
      field(&RunOptions::precision,
            text_option("precision", "", {"fp32", "bf16"},
                        "matrix products on the GPU: fp32 | bf16 (inputs rounded to bf16 on tensor cores, fp32 "
                        "accumulation; weights, optimizer and reductions stay fp32). The CPU computes in fp32"),
            run),
      field(&RunOptions::d, int_option("d", 0, 2, 8192, "Transformer width"), model),
      field(&RunOptions::layers, int_option("layers", 0, 1, 128, "Transformer depth"), model),
      field(&RunOptions::heads, int_option("heads", 0, 1, 256, "attention heads"), model),
      field(&RunOptions::ffn_mult, int_option("ffn-mult", 0, 1, 16, "FFN hidden = ffn-mult * d"), model),
      field(&RunOptions::experts,
            int_option("experts", 0, 0, 4096, "experts (default: 8 for moe; 0 for onelayer, a dense psi)"), model),
      field(&RunOptions::top_k, int_option("top-k", 0, 1, 4096, "experts per token (moe)"), model),
      field(&RunOptions::balance_coef, real_option("balance-coef", 0, 0, 100, "load-balancing loss coefficient"), model),
      field(&RunOptions::z_coef, real_option("z-coef", 0, 0, 100, "router z-loss coefficient"), model),
      field(&RunOptions::gate,
            text_option("gate", "", {"auto", "renormalized", "probability", "hard", "switch"},
                        "MoE gate. moe: renormalized (top-k weights p / sum p, Mixtral) | probability (p, Switch); "
                        "onelayer: hard (argmax, weight 1) | switch (weight p); auto: probability at --top-k 1 "
                        "(renormalising gives weight 1 and no router gradient), renormalized above, hard for onelayer"),
            model),
      field(&RunOptions::bidirectional, flag_option("bidirectional", "bidirectional attention (default causal)"), model),
      field(&RunOptions::m, int_option("m", 0, 1, 4096, "one-layer embedding width m"), model),
      field(&RunOptions::hidden, int_option("hidden", 0, 0, 65536, "one-layer psi hidden width m' (0: the same as m)"), model),
      field(&RunOptions::readout_init,
            text_option("readout-init", "", {"normal", "zero"},
                        "one-layer psi's output weights at initialisation: normal (N(0, 1/hidden)) | zero (the output "
                        "starts constant; results/pilots/readout-init)"),
            model),
      field(&RunOptions::router_balance,
            real_option("router-balance", 0, 0, 100,
                        "one-layer MoE: Switch's load-balancing loss coefficient on the router, coef * E * sum_e "
                        "f_e P_e; under the hard gate its only gradient (0: none; a hard router then stays as drawn)"),
            model),
      field(&RunOptions::steps, int_option("steps", 0, 1, 100000000, "optimizer steps"), training),
      field(&RunOptions::batch, int_option("batch", 0, 1, 65536, "batch size"), training),
      field(&RunOptions::lr, real_option("lr", 0, 0, 10, "peak learning rate"), training),
      field(&RunOptions::lr_width,
            int_option("lr-width", 0, 0, 65536,
                       "one-layer: muP's per-tensor learning rates above this base width: Q, K, V (fan-in m), W and the "
                       "router (fan-in H*m) train at lr * lr-width / fan-in where the fan-in is larger (0: every "
                       "tensor at lr; results/pilots/lr-width)"),
            training),
      field(&RunOptions::weight_decay, real_option("weight-decay", 0, 0, 10, "AdamW weight decay"), training),
      field(&RunOptions::warmup, real_option("warmup", 0, 0, 1, "warmup fraction of the steps"), training),
      field(&RunOptions::decay, text_option("decay", "", {"linear", "cosine"}, "linear | cosine"), training),
      field(&RunOptions::clip, real_option("clip", 0, 0, 1e6, "gradient-norm clip (0 = off)"), training),
      field(&RunOptions::eval_every, int_option("eval-every", 0, 1, 100000000, "steps between evaluations"), training),
      field(&RunOptions::eval_limit, int_option("eval-limit", 0, 0, 100000000, "examples of each split per evaluation (0: all of them)"), training),
      field(&RunOptions::target, real_option("target", 0, 0, 2, "stop when the test metric reaches this"), training),
  };
  for (auto& o : out)  // where the run writes, and how many threads compute it (the same bits): not what it is
    if (o.spec.name == "out" || o.spec.name == "threads") o.in_config = false;
  // The tasks' own options, each name once, under a heading naming the tasks that take it.
  for (const auto& t : tasks())
    for (const auto& spec : t.options) {
      auto known = std::find_if(out.begin(), out.end(), [&](const RunOption& o) { return o.spec.name == spec.name; });
      if (known != out.end()) {
        if (known->tasks.empty()) throw std::logic_error("task option --" + spec.name + " shadows a common option");
        known->tasks.push_back(t.name);
        continue;
      }
      const std::string name = spec.name;
      RunOption o{spec, [name](const RunOptions& r) { return r.task_options.at(name); },
                  [name](RunOptions& r, const Value& v) { r.task_options.set(name, v); }, {t.name}};
      out.push_back(std::move(o));
    }
  for (auto& o : out) {
    // added after records were made, common or a task's own
    if (o.spec.name == "readout-init" || o.spec.name == "precision" || o.spec.name == "router-balance" ||
        o.spec.name == "lr-width" || o.spec.name == "mask-empty")
      o.omitted_at_default = true;
    if (!o.tasks.empty()) {
      std::string names;
      for (const auto& n : o.tasks) names += (names.empty() ? "" : ", ") + n;
      o.spec.group = "Task options (" + names + ")";
    }
  }
  return out;
}

}  // namespace

const std::vector<RunOption>& run_options() {
  static const std::vector<RunOption> all = declare();  // after the tasks registered themselves
  return all;
}

const RunOption* find_run_option(const std::string& name) {
  for (const auto& o : run_options())
    if (o.spec.name == name) return &o;
  return nullptr;
}

bool is_run_option(const std::string& name) { return find_run_option(name) != nullptr; }

RunOptions default_run_options() {
  RunOptions o;
  for (const auto& opt : run_options())
    if (!opt.tasks.empty()) opt.set(o, opt.spec.fallback);
  return o;
}

void add_run_options(CLI::App& app, RunOptions& o, const std::function<bool(const RunOption&)>& include) {
  o = default_run_options();
  std::map<std::string, CLI::Option*> added;
  for (const auto& opt : run_options()) {
    if (include && !include(opt)) continue;
    const OptionSpec& spec = opt.spec;
    const auto set = opt.set;
    CLI::Option* cli = nullptr;
    if (spec.type == OptionType::Flag) {
      cli = app.add_flag_function("--" + spec.name, [&o, set](int64_t count) { set(o, count > 0); }, spec.help);
    } else {
      cli = app.add_option_function<std::string>(
          "--" + spec.name, [&o, set, spec](const std::string& text) { set(o, parse_value(spec, text)); }, spec.help);
      cli->check(CLI::Validator(
          [spec](std::string& text) {
            const std::string problem = value_problem(spec, text);
            return problem.empty() ? problem : problem + " (accepted: " + accepted_values(spec) + ")";
          },
          "", ""));
      cli->type_name(spec.type == OptionType::Text ? "TEXT" : spec.type == OptionType::Real ? "REAL" : "INT");
      const std::string shown = value_text(spec.fallback);
      if (!shown.empty() && spec.name != "experts") cli->default_str(shown);
    }
    cli->group(spec.group);
    added[spec.name] = cli;
  }
  for (const char* name : {"task", "model"})
    if (added.count(name)) added[name]->required();
  for (const auto& opt : run_options())
    if (!opt.spec.excludes.empty() && added.count(opt.spec.name) && added.count(opt.spec.excludes))
      added[opt.spec.name]->excludes(added.at(opt.spec.excludes));
}

Options typed_run_options(const CLI::App& app) {
  Options typed;
  for (const CLI::Option* o : app.get_options())
    if (o->count() > 0 && o->get_name().rfind("--", 0) == 0)
      if (const RunOption* opt = find_run_option(o->get_name().substr(2)))
        typed[opt->spec.name] = opt->spec.type == OptionType::Flag ? "true" : o->results().back();
  return typed;
}

void resolve_run_options(RunOptions& o) {
  if (o.experts < 0) o.experts = o.model == "moe" ? 8 : 0;
  if (o.hidden == 0) o.hidden = o.m;
  const Task* task = find_task(o.task);
  if (task && task->train_examples && o.task_options.real("epochs") > 0) {
    // Rounded up, with a margin for the product's rounding (0.1 * 30 / 3 is a hair above 1).
    const double steps = std::ceil(o.task_options.real("epochs") * double(task->train_examples(o)) / o.batch - 1e-9);
    o.steps = long(std::clamp(steps, 1.0, 1e12));
  }
  if (o.gate == "auto" && !o.model.empty())
    o.gate = o.model == "onelayer" ? "hard" : o.top_k == 1 ? "probability" : "renormalized";
}

namespace {

void append(std::vector<std::string>& args, const Options& options) {
  for (const auto& [name, text] : options) {
    const RunOption* opt = find_run_option(name);
    if (opt && opt->spec.type == OptionType::Flag) {
      if (text != "true" && text != "false")
        throw UsageError("--" + name + ": '" + text + "' is not a boolean (accepted: true, false)");
      if (text == "true") args.push_back("--" + name);
      continue;
    }
    args.push_back("--" + name);
    args.push_back(text);
  }
}

}  // namespace

void check_task_options(const std::string& task, const Options& given) {
  for (const auto& [name, text] : given) {
    const RunOption* opt = find_run_option(name);
    if (!opt || opt->tasks.empty() || std::find(opt->tasks.begin(), opt->tasks.end(), task) != opt->tasks.end())
      continue;
    std::string takers, own;
    for (const auto& t : opt->tasks) takers += (takers.empty() ? "" : ", ") + t;
    for (const auto& o : run_options())
      if (std::find(o.tasks.begin(), o.tasks.end(), task) != o.tasks.end()) own += (own.empty() ? "--" : ", --") + o.spec.name;
    throw UsageError("--" + name + " is an option of " + takers + ", not of --task " + task + " (accepted for " + task +
                     ": " + (own.empty() ? "none" : own) + ")");
  }
}

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
  if (!o.task.empty()) check_task_options(o.task, merged);
  resolve_run_options(o);
  return o;
}

void check_run_options(const RunOptions& a) {
  const Task& task = task_named(a.task);
  if (model_family(a.model) != task.family) {
    std::string accepted;
    for (const auto& t : tasks()) accepted += (accepted.empty() ? "" : "; ") + t.name + ": " + family_models(t.family);
    throw UsageError("--model " + a.model + " cannot train --task " + a.task + " (accepted: " + accepted + ")");
  }
  if (a.model == "dense" && a.experts > 0) throw UsageError("--experts needs --model moe or onelayer");
  if (a.model == "moe" && a.experts == 0)
    throw UsageError("--experts: 0 with --model moe would train a dense FFN (accepted: 1 to 4096 experts, or --model dense)");
  const bool one_layer_gate = a.gate == "hard" || a.gate == "switch";
  if (task.family == Family::Transformer && one_layer_gate)
    throw UsageError("--gate " + a.gate + " is a one-layer gate (accepted with --model " + a.model +
                     ": auto, renormalized, probability)");
  if (task.family == Family::OneLayer && !one_layer_gate && a.gate != "auto")
    throw UsageError("--gate " + a.gate + " is a Transformer gate (accepted with --model onelayer: auto, hard, switch)");
  if (a.precision == "bf16" && a.device == "cpu")
    throw UsageError("--precision bf16: the CPU backend computes in fp32 (accepted: bf16 with --device cuda, or a GPU "
                     "that --device auto finds; fp32 anywhere)");
  // An option of the other model family would be ignored without a word: refused unless left at its default.
  {
    const bool transformer = task.family == Family::Transformer;
    static const std::vector<std::string> transformer_only{"d",           "layers",       "ffn-mult",
                                                           "top-k",       "balance-coef", "z-coef",
                                                           "bidirectional"};
    static const std::vector<std::string> one_layer_only{"m", "hidden", "readout-init", "router-balance",
                                                          "lr-width"};
    for (const auto& name : transformer ? one_layer_only : transformer_only) {
      const RunOption& opt = *find_run_option(name);
      if (opt.get(a) == opt.spec.fallback) continue;
      std::string accepted;
      for (const auto& other : transformer ? transformer_only : one_layer_only) accepted += ", --" + other;
      throw UsageError("--" + name + " " + value_text(opt.get(a)) + " is a " + (transformer ? "one-layer" : "Transformer") +
                       " option (accepted with --model " + a.model + ": --heads, --experts, --gate" + accepted + ")");
    }
  }
  if (a.router_balance > 0 && a.experts < 2)
    throw UsageError("--router-balance balances a one-layer MoE's experts (accepted: with --experts 2 or more; 0 "
                     "without)");
  if (task.family == Family::Transformer) {
    models::TransformerConfig c{.d = a.d, .layers = a.layers, .heads = a.heads, .ffn_mult = a.ffn_mult,
                                .experts = a.model == "moe" ? a.experts : 0, .top_k = a.top_k};
    try {
      models::validate(c);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("model: ") + e.what());
    }
  }
  if (a.steps > 100000000)
    throw UsageError("--epochs: " + std::to_string(a.steps) + " steps at --batch " + std::to_string(a.batch) +
                     " (accepted: at most 100000000 steps; fewer epochs or a larger batch)");
  if (task.check) task.check(a);
}

nlohmann::json run_config_json(const RunOptions& o) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& opt : run_options()) {
    if (!opt.in_config) continue;
    if (!opt.tasks.empty() && std::find(opt.tasks.begin(), opt.tasks.end(), o.task) == opt.tasks.end()) continue;
    const Value value = opt.get(o);
    if (opt.omitted_at_default && value == opt.spec.fallback) continue;
    out[opt.spec.name] = value_json(value);
  }
  // lr-width at or above every fan-in it scales (m, and H*m >= m) changes no step: left out, so the run is the
  // one without it (and a record made without it is reused).
  if (out.contains("lr-width") && o.m * o.heads <= o.lr_width) out.erase("lr-width");
  // length2's fresh-labels labels only the fresh stream: with a stored set it is left out (records made
  // before the option stay valid; a non-default value is refused there).
  if (out.contains("fresh-labels") && o.task_options.integer("train-size") != 0) out.erase("fresh-labels");
  // p calibrated: the algorithm that calibrated it is part of what the run is (graphs/calibrate.hpp).
  if (out.contains("mean-path") && out["mean-path"].get<double>() > 0) out["calibration"] = graphs::kCalibrationVersion;
  return out;
}

nlohmann::json given_json(const Options& options) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, text] : options) {
    const RunOption* opt = find_run_option(name);
    out[name] = opt ? value_json(parse_value(opt->spec, text)) : nlohmann::json(text);
  }
  return out;
}

}  // namespace moesim::sims
