#include "run_training.hpp"

#include <omp.h>

#include <filesystem>
#include <map>

#include "device.hpp"
#include "model_factory.hpp"
#include "models/checkpoint.hpp"
#include "tasks/task.hpp"

namespace moesim::sims {

TrainConfig train_config(const RunOptions& a, bool progress) {
  TrainConfig c{.steps = a.steps, .batch = a.batch, .eval_every = a.eval_every, .target = a.target,
                .eval_limit = a.examples_per_evaluation(), .progress = progress};
  c.optimizer.lr = a.lr, c.optimizer.weight_decay = a.weight_decay, c.optimizer.warmup = a.warmup;
  c.optimizer.clip = a.clip, c.optimizer.lr_width = a.lr_width;
  c.optimizer.decay = a.decay == "cosine" ? models::Decay::Cosine : models::Decay::Linear;
  return c;
}

RunRecord run_training(const RunOptions& asked, const Options& given, const RunOutputs& outputs) {
  RunOptions a = asked;
  a.device = resolve_device(a.device);  // the record's config names the device that ran, never "auto"
  check_run_options(a);
  if (a.threads > 0) omp_set_num_threads(a.threads);  // this thread's OpenMP teams only
  auto be = make_backend(a.device, a.precision);
  auto task = task_named(a.task).make(a);
  BuiltModel built = build_model(a, task->shape(), *be);

  RunRecord r;
  r.given = given;
  r.config = run_config_json(a);
  r.code = code_version(a.task, a.model, be->name());
  r.seed = a.seed;
  r.device = be->name();
  r.model_kind = built.kind;
  r.model_config = built.config;
  r.params = built.counts;
  r.baselines = task->baselines();
  r.result = train(*built.model, *task, train_config(a, outputs.progress));
  if (r.result.status != "diverged") r.result.confirm_metric = task->confirm(*built.model);
  r.task = task->record();  // after training: it may count what training saw
  if (r.result.status != "diverged")
    if (auto examined = task->examine(*built.model); !examined.is_null()) r.task["examined"] = examined;
  r.provenance = this_provenance(a.threads > 0 ? a.threads : omp_get_max_threads());
  if (outputs.folder) {
    const std::map<std::string, std::string> meta{{"moesim", "1"},
                                                  {"task", a.task},
                                                  {"kind", built.kind},
                                                  {"config", built.config.dump()},
                                                  {"options", given_json(given).dump()}};
    models::save_checkpoint((outputs.folder() / "model.safetensors").string(), built.model->store(), meta);
  }
  return r;
}

}  // namespace moesim::sims
