#include "model_factory.hpp"

#include <stdexcept>

#include "model_config_json.hpp"
#include "models/one_layer.hpp"
#include "models/transformer.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

// The config, checked by the model's own rules; a refusal is bad input.
template <class Config>
const Config& validated(const Config& c) {
  try {
    models::validate(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("model: ") + e.what());
  }
  return c;
}

}  // namespace

models::TransformerConfig transformer_config(const RunOptions& a, const TaskShape& shape) {
  return {.vocab = shape.vocab, .d = a.d, .layers = a.layers, .heads = a.heads, .ffn_mult = a.ffn_mult,
          .experts = a.model == "moe" ? a.experts : 0, .top_k = a.top_k, .renormalize = a.gate == "renormalized",
          .causal = !(a.bidirectional || shape.bidirectional), .max_len = shape.max_len,
          .balance_coef = a.balance_coef, .z_coef = a.z_coef};
}

models::OneLayerConfig one_layer_config(const RunOptions& a, const TaskShape& shape) {
  return {.vocab = shape.vocab, .input_dim = shape.input_dim, .m = a.m, .heads = a.heads, .hidden = a.hidden,
          .experts = a.experts, .switch_gate = a.gate == "switch",
          .balance_coef = a.router_balance, .masked_token = shape.masked_token,
          .zero_readout = a.readout_init == "zero"};
}

models::ParamCounts non_embedding_counts(const RunOptions& o) {
  const TaskShape none{.vocab = 0, .input_dim = 0, .max_len = 1};
  const auto all = model_family(o.model) == Family::Transformer ? models::count_params(transformer_config(o, none))
                                                                : models::count_params(one_layer_config(o, none));
  return {.non_embedding = all.non_embedding, .active_non_embedding = all.active_non_embedding};
}

BuiltModel build_model(const RunOptions& a, const TaskShape& shape, models::Backend<float>& be) {
  BuiltModel out;
  if (model_family(a.model) == Family::Transformer) {
    const auto c = validated(transformer_config(a, shape));
    out.model = std::make_unique<models::Transformer<float>>(c, be, a.seed);
    out.kind = "transformer", out.config = config_json(c), out.counts = models::count_params(c);
  } else {
    const auto c = validated(one_layer_config(a, shape));
    out.model = std::make_unique<models::OneLayer<float>>(c, be, a.seed);
    out.kind = "onelayer", out.config = config_json(c), out.counts = models::count_params(c);
  }
  return out;
}

}  // namespace moesim::sims
