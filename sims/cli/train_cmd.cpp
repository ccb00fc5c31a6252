// `moesim train`: one training run, every option on the command line or in a TOML file (--config).
#include <omp.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/usage_error.hpp"
#include "graphs/calibrate.hpp"
#include "models/atomic_file.hpp"
#include "models/checkpoint.hpp"
#include "device.hpp"
#include "model_config_json.hpp"
#include "trainer.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

struct TrainArgs {
  std::string task, model, out = "runs/train", gate = "hard", decay = "linear", device = "cpu";
  // Transformer
  int d = 64, layers = 2, heads = 4, ffn_mult = 1, experts = -1, top_k = 2;
  double balance_coef = 0.01, z_coef = 0.0;
  bool bidirectional = false;
  // OneLayer
  int m = 8, hidden = 32;
  // tasks
  int entries = 64, test_size = 200, nodes = 8, train_size = 2000, n = 64, seq_len = 8, dim = 8;
  double p = -1, mean_path = 0;
  // training
  long steps = 500;
  int batch = 32, eval_every = 100, threads = 0;
  double lr = 3e-3, weight_decay = 0.1, warmup = 0.05, clip = 1.0, target = 1.0;
  uint64_t seed = 0;
};

double graph_p(const TrainArgs& a) {
  if (a.p >= 0) return a.p;
  if (a.mean_path > 0) {
    try {
      return graphs::calibrate_p(a.nodes, a.mean_path).p;
    } catch (const graphs::CalibrationError& e) {
      throw UsageError(std::string("--mean-path: ") + e.what());
    }
  }
  return 0.25;  // small graphs: a density at which most pairs are connected
}

TrainConfig train_config(const TrainArgs& a) {
  TrainConfig c{.steps = a.steps, .batch = a.batch, .eval_every = a.eval_every, .target = a.target,
                .seed = a.seed, .progress = true};
  c.optimizer.lr = a.lr, c.optimizer.weight_decay = a.weight_decay, c.optimizer.warmup = a.warmup;
  c.optimizer.clip = a.clip;
  c.optimizer.decay = a.decay == "cosine" ? models::Decay::Cosine : models::Decay::Linear;
  return c;
}

json counts_json(const models::ParamCounts& p) {
  return {{"total", p.total}, {"active", p.active}, {"embedding", p.embedding}, {"non_embedding", p.non_embedding},
          {"active_non_embedding", p.active_non_embedding}};
}

json result_json(const RunResult& r) {
  json evals = json::array();
  for (const auto& e : r.evals)
    evals.push_back({{"step", e.step}, {"loss", std::isfinite(e.loss) ? json(e.loss) : json(nullptr)},
                     {"train_metric", e.train_metric}, {"test_metric", e.test_metric}});
  return {{"status", r.status}, {"steps_done", r.steps_done}, {"wall_seconds", r.wall_seconds},
          {"tokens_per_second", r.tokens_per_second}, {"evaluations", evals}};
}

void run_train(const TrainArgs& a, const json& options) {
  const bool sequence = a.task == "phonebook" || a.task == "shortest-path";
  if (sequence == (a.model == "onelayer"))
    throw UsageError("--model " + a.model + " cannot train --task " + a.task +
                     " (phonebook, shortest-path: dense or moe; length2, gaussian: onelayer)");
  if (a.model == "dense" && a.experts > 0) throw UsageError("--experts needs --model moe or onelayer");
  if (a.threads > 0) omp_set_num_threads(a.threads);
  namespace fs = std::filesystem;
  fs::create_directories(a.out);
  auto be = make_backend(a.device);
  json record{{"options", options}, {"seed", a.seed}, {"device", be->name()}};
  RunResult result;
  std::map<std::string, std::string> meta{{"moesim", "1"}, {"task", a.task}};
  // Records the model (kind, config, parameter counts) beside the result, then writes both files.
  auto finish = [&](models::ParamStore<float>& store, const char* kind, const json& config,
                    const models::ParamCounts& counts) {
    record["params"] = counts_json(counts);
    record["config"] = config;
    meta["kind"] = kind;
    meta["config"] = config.dump();
    record["result"] = result_json(result);
    meta["options"] = options.dump();
    models::save_checkpoint((fs::path(a.out) / "model.safetensors").string(), store, meta);
    models::write_file_atomic(fs::path(a.out) / "run.json", record.dump(2) + "\n");
    std::cout << "status " << result.status << "  test " << result.last().test_metric << "  train "
              << result.last().train_metric << "  -> " << a.out << "/run.json\n";
  };
  if (sequence) {
    const SequenceTask task = a.task == "phonebook" ? make_phonebook(a.entries, a.test_size, a.seed)
                                                    : make_shortest_path(a.nodes, graph_p(a), a.train_size, a.test_size, a.seed);
    models::TransformerConfig c{.vocab = task.vocab, .d = a.d, .layers = a.layers, .heads = a.heads,
                                .ffn_mult = a.ffn_mult, .experts = a.model == "moe" ? (a.experts < 0 ? 8 : a.experts) : 0,
                                .top_k = a.top_k, .causal = !a.bidirectional, .max_len = task.max_len,
                                .balance_coef = a.balance_coef, .z_coef = a.z_coef};
    try {
      models::validate(c);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("model: ") + e.what());
    }
    models::Transformer<float> model(c, *be, a.seed);
    result = train_sequence(model, task, train_config(a));
    finish(model.store(), "transformer", config_json(c), models::count_params(c));
  } else {
    const ClassificationTask task = a.task == "length2" ? make_length2(a.nodes, graph_p(a), a.train_size, a.test_size, a.seed)
                                                        : make_gaussian(a.n, a.seq_len, a.dim, a.seed);
    models::OneLayerConfig c{.vocab = task.vocab, .input_dim = task.input_dim, .m = a.m, .heads = a.heads,
                             .hidden = a.hidden, .experts = std::max(a.experts, 0), .switch_gate = a.gate == "switch"};
    models::OneLayer<float> model(c, *be, a.seed);
    result = train_classifier(model, task, train_config(a));
    finish(model.store(), "onelayer", config_json(c), models::count_params(c));
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* t = app.add_subcommand("train", "Train one model on one task; writes run.json and model.safetensors");
  t->footer(
      "Examples:\n  moesim train --task phonebook --model moe --experts 4 --entries 128\n"
      "  moesim train --task length2 --model onelayer --nodes 8 --m 8\n"
      "  moesim train --config run.toml      (keys are the long option names: d = 64, lr = 0.001, ...)");
  // --config FILE is expanded before parsing (cli/config_file.hpp); the command line overrides it.
  t->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  t->add_option("--config", "read options from this TOML file (keys: the long option names)");
  t->add_option("--task", a->task, "phonebook | shortest-path | length2 | gaussian")->required()
      ->check(CLI::IsMember({"phonebook", "shortest-path", "length2", "gaussian"}));
  t->add_option("--model", a->model, "dense | moe (Transformer) | onelayer")->required()
      ->check(CLI::IsMember({"dense", "moe", "onelayer"}));
  t->add_option("--out", a->out, "output folder");
  t->add_option("--d", a->d, "Transformer width")->check(CLI::Range(2, 8192));
  t->add_option("--layers", a->layers, "Transformer depth")->check(CLI::Range(1, 128));
  t->add_option("--heads", a->heads, "attention heads")->check(CLI::Range(1, 256));
  t->add_option("--ffn-mult", a->ffn_mult, "FFN hidden = ffn-mult * d")->check(CLI::Range(1, 16));
  t->add_option("--experts", a->experts, "experts (moe: default 8; onelayer: 0 = dense psi)")->check(CLI::Range(0, 4096));
  t->add_option("--top-k", a->top_k, "experts per token (moe)")->check(CLI::Range(1, 4096));
  t->add_option("--balance-coef", a->balance_coef, "load-balancing loss coefficient")->check(CLI::Range(0.0, 100.0));
  t->add_option("--z-coef", a->z_coef, "router z-loss coefficient")->check(CLI::Range(0.0, 100.0));
  t->add_flag("--bidirectional", a->bidirectional, "bidirectional attention (default causal)");
  t->add_option("--m", a->m, "one-layer embedding width m")->check(CLI::Range(1, 4096));
  t->add_option("--hidden", a->hidden, "one-layer psi hidden width m'")->check(CLI::Range(1, 65536));
  t->add_option("--gate", a->gate, "one-layer MoE routing: hard | switch")->check(CLI::IsMember({"hard", "switch"}));
  t->add_option("--entries", a->entries, "phone book size")->check(CLI::Range(1, 10000000));
  t->add_option("--test-size", a->test_size, "test examples")->check(CLI::Range(1, 1000000));
  t->add_option("--nodes", a->nodes, "graph vertices")->check(CLI::Range(3, 5000));
  auto* p_opt = t->add_option("--p", a->p, "edge probability")->check(CLI::Range(0.0, 1.0));
  t->add_option("--mean-path", a->mean_path, "calibrate p to this mean path length")->check(CLI::Range(1.0, 1e6))->excludes(p_opt);
  t->add_option("--train-size", a->train_size, "training examples (graph tasks)")->check(CLI::Range(1, 100000000));
  t->add_option("--n", a->n, "Gaussian sequences to memorise")->check(CLI::Range(1, 100000000));
  t->add_option("--seq-len", a->seq_len, "Gaussian sequence length N")->check(CLI::Range(1, 65536));
  t->add_option("--dim", a->dim, "Gaussian input dimension")->check(CLI::Range(1, 65536));
  t->add_option("--steps", a->steps, "optimizer steps")->check(CLI::Range(1L, 100000000L));
  t->add_option("--batch", a->batch, "batch size")->check(CLI::Range(1, 65536));
  t->add_option("--lr", a->lr, "peak learning rate")->check(CLI::Range(0.0, 10.0));
  t->add_option("--weight-decay", a->weight_decay, "AdamW weight decay")->check(CLI::Range(0.0, 10.0));
  t->add_option("--warmup", a->warmup, "warmup fraction of the steps")->check(CLI::Range(0.0, 1.0));
  t->add_option("--decay", a->decay, "linear | cosine")->check(CLI::IsMember({"linear", "cosine"}));
  t->add_option("--clip", a->clip, "gradient-norm clip (0 = off)")->check(CLI::Range(0.0, 1e6));
  t->add_option("--eval-every", a->eval_every, "steps between evaluations")->check(CLI::Range(1, 100000000));
  t->add_option("--target", a->target, "stop when the test metric reaches this")->check(CLI::Range(0.0, 2.0));
  t->add_option("--seed", a->seed, "seed of data, initialisation and batch order");
  t->add_option("--threads", a->threads, "OpenMP threads (0 = all)")->check(CLI::Range(0, 1024));
  t->add_option("--device", a->device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  t->callback([a, t] {
    json options;
    for (const CLI::Option* o : t->get_options())
      if (o->count() > 0 && o->get_name() != "--help")
        options[o->get_name().substr(2)] = o->results().size() == 1 ? o->results()[0] : json(o->results()).dump();
    run_train(*a, options);
  });
}

}  // namespace moesim::sims
