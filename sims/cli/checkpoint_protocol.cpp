#include "checkpoint_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <map>
#include <nlohmann/json.hpp>

#include "usage_error.hpp"
#include "graphs/encode.hpp"
#include "graphs/rng.hpp"
#include "model_config_json.hpp"
#include "models/checkpoint.hpp"
#include "models/one_layer.hpp"
#include "proofs/bounds.hpp"
#include "proofs/disjointness_protocol.hpp"
#include "proofs/failure_witness.hpp"

namespace moesim::sims {

int run_checkpoint_protocol(const std::string& path, long budget) {
  std::map<std::string, std::string> meta;
  try {
    meta = models::read_checkpoint_metadata(path);
  } catch (const models::CheckpointError& e) {
    throw UsageError(e.what());
  }
  if (meta["kind"] != "onelayer" || !meta.count("config"))
    throw UsageError("--checkpoint: " + path + " is not a one-layer model (accepted: a checkpoint of moesim train --model onelayer)");
  nlohmann::json config_json_value;
  try {
    config_json_value = nlohmann::json::parse(meta["config"]);
  } catch (const nlohmann::json::exception&) {
    throw UsageError("--checkpoint: " + path + ": the config in __metadata__ is not valid JSON");
  }
  const auto c = one_layer_config(config_json_value);
  if (c.vocab < 4 || c.vocab % 2) throw UsageError("--checkpoint: the model does not read the length-2 format");
  const int n = c.vocab / 2 + 1;  // the length-2 format of n vertices has 2n - 2 tokens
  auto fbe = models::make_cpu_backend<float>();
  std::unique_ptr<models::OneLayer<float>> saved;
  try {
    models::check_checkpoint_shapes(path, models::one_layer_table(c));  // before a model of c's size exists
    saved = std::make_unique<models::OneLayer<float>>(c, *fbe, 0);
    models::load_checkpoint(path, saved->store());
  } catch (const models::CheckpointError& e) {
    throw UsageError(e.what());
  }
  // The protocol runs in double: widen the saved float weights.
  auto be = models::make_cpu_backend<double>();
  models::OneLayer<double> model(c, *be, 0);
  const auto host = saved->store().download(saved->store().params());
  model.store().upload(model.store().params(), std::vector<double>(host.begin(), host.end()));
  graphs::Rng rng(1);
  double worst = 0;
  for (int i = 0; i < 200; ++i) {
    const auto run = proofs::run_protocol(model, graphs::random_disjointness_instance(n, i % 2 == 0, rng));
    worst = std::max(worst, std::abs(run.bob_output - run.model_output) / std::max(1.0, std::abs(run.model_output)));
  }
  const long bits = proofs::protocol_bits(c.heads, c.m, 64);
  std::printf("model: |V| = %d, m = %d, H = %d, experts = %d (%s)\n", n, c.m, c.heads, c.experts,
              c.switch_gate ? "switch" : "hard");
  std::printf("protocol: Bob's output = the model's on 200 inputs, largest relative difference %.1e (%s)\n", worst,
              worst <= 1e-12 ? "pass" : "FAIL");
  std::printf("bits sent at 64 bits a number: H(m+1)*64 = %ld %s n = %d\n", bits, bits >= n - 2 ? ">=" : "<", n - 2);
  const auto w = proofs::find_failure(model, n, budget, 7);
  if (w.witness) {
    std::printf("failure witness after %ld inputs: a = {", w.tried);
    for (int v : w.witness->a) std::printf(" %d", v);
    std::printf(" }, b = {");
    for (int v : w.witness->b) std::printf(" %d", v);
    std::printf(" }: the answer is %s, the model says otherwise\n", w.witness->label ? "yes" : "no");
  } else {
    std::printf("no failure in %ld inputs (%s)\n", w.tried, w.exhaustive ? "all of them" : "random");
  }
  return worst <= 1e-12 ? 0 : 1;
}

}  // namespace moesim::sims
