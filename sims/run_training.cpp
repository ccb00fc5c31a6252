#include "run_training.hpp"

#include <omp.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "cli/mean_path_option.hpp"
#include "cli/usage_error.hpp"
#include "device.hpp"
#include "model_config_json.hpp"
#include "models/checkpoint.hpp"
#include "trainer.hpp"

namespace moesim::sims {
namespace {

using nlohmann::json;

double graph_p(const RunOptions& a) {
  if (a.p >= 0) return a.p;
  if (a.mean_path > 0) {
    return calibrate_mean_path(a.nodes, a.mean_path).p;
  }
  return 0.25;  // small graphs: a density at which most pairs are connected
}

TrainConfig train_config(const RunOptions& a, bool progress) {
  TrainConfig c{.steps = a.steps, .batch = a.batch, .eval_every = a.eval_every, .target = a.target,
                .eval_limit = a.eval_limit, .seed = a.seed, .progress = progress};
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
  for (const auto& e : r.evals) {
    evals.push_back({{"step", e.step}, {"loss", std::isfinite(e.loss) ? json(e.loss) : json(nullptr)},
                     {"train_metric", e.train_metric}, {"test_metric", e.test_metric}});
    if (!e.metrics.empty()) evals.back()["metrics"] = e.metrics;
  }
  json out{{"status", r.status}, {"steps_done", r.steps_done}, {"wall_seconds", r.wall_seconds},
           {"tokens_per_second", r.tokens_per_second}, {"train_metric", r.last().train_metric},
           {"test_metric", r.last().test_metric}, {"evaluations", evals}};
  if (!r.last().metrics.empty()) out["metrics"] = r.last().metrics;
  return out;
}

models::TransformerConfig transformer_config(const RunOptions& a, int vocab, int max_len, bool causal) {
  models::TransformerConfig c{.vocab = vocab, .d = a.d, .layers = a.layers, .heads = a.heads, .ffn_mult = a.ffn_mult,
                              .experts = a.model == "moe" ? (a.experts < 0 ? 8 : a.experts) : 0, .top_k = a.top_k,
                              .causal = causal, .max_len = max_len, .balance_coef = a.balance_coef, .z_coef = a.z_coef};
  try {
    models::validate(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("model: ") + e.what());
  }
  return c;
}

}  // namespace

json run_training(const RunOptions& a, const json& options, const RunOutputs& outputs) {
  check_run_options(a);
  if (a.threads > 0) omp_set_num_threads(a.threads);  // this thread's OpenMP teams only
  auto be = make_backend(a.device);
  json record{{"options", options}, {"seed", a.seed}, {"device", be->name()}};
  RunResult result;
  std::map<std::string, std::string> meta{{"moesim", "1"}, {"task", a.task}};
  // Records the model (kind, config, parameter counts) beside the result; saves the checkpoint if asked.
  auto finish = [&](models::ParamStore<float>& store, const char* kind, const json& config,
                    const models::ParamCounts& counts) {
    record["params"] = counts_json(counts);
    record["config"] = config;
    record["result"] = result_json(result);
    if (!outputs.checkpoint) return;
    meta["kind"] = kind;
    meta["config"] = config.dump();
    meta["options"] = options.dump();
    std::filesystem::create_directories(a.out);
    models::save_checkpoint((std::filesystem::path(a.out) / "model.safetensors").string(), store, meta);
  };
  if (a.task == "sraven") {
    // Bidirectional always: the query tokens must see the whole grid (and each other's positions).
    const auto c = transformer_config(a, kSravenValues + 1, 9 * a.features, false);
    models::Transformer<float> model(c, *be, a.seed);
    result = train_sraven(model, {.features = a.features, .pool = a.rule_pool, .test_count = a.test_size, .seed = a.seed},
                          train_config(a, outputs.progress));
    finish(model.store(), "transformer", config_json(c), models::count_params(c));
  } else if (a.task == "phonebook" || a.task == "shortest-path") {
    const SequenceTask task = a.task == "phonebook" ? make_phonebook(a.entries, a.test_size, a.seed)
                                                    : make_shortest_path(a.nodes, graph_p(a), a.train_size, a.test_size, a.seed);
    const auto c = transformer_config(a, task.vocab, task.max_len, !a.bidirectional);
    models::Transformer<float> model(c, *be, a.seed);
    result = train_sequence(model, task, train_config(a, outputs.progress));
    finish(model.store(), "transformer", config_json(c), models::count_params(c));
  } else {
    const ClassificationTask task = a.task == "length2" ? make_length2(a.nodes, graph_p(a), a.train_size, a.test_size, a.seed)
                                                        : make_gaussian(a.n, a.seq_len, a.dim, a.seed);
    models::OneLayerConfig c{.vocab = task.vocab, .input_dim = task.input_dim, .m = a.m, .heads = a.heads,
                             .hidden = a.hidden > 0 ? a.hidden : a.m, .experts = std::max(a.experts, 0),
                             .switch_gate = a.gate == "switch"};
    models::OneLayer<float> model(c, *be, a.seed);
    result = train_classifier(model, task, train_config(a, outputs.progress));
    finish(model.store(), "onelayer", config_json(c), models::count_params(c));
  }
  return record;
}

}  // namespace moesim::sims
