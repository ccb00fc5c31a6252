#include "model_config_json.hpp"

#include "usage_error.hpp"

namespace moesim::sims {

nlohmann::json config_json(const models::TransformerConfig& c) {
  return {{"vocab", c.vocab},   {"d", c.d},         {"layers", c.layers},       {"heads", c.heads},
          {"ffn_mult", c.ffn_mult}, {"experts", c.experts}, {"top_k", c.top_k},
          {"gate", c.renormalize ? "renormalized" : "probability"}, {"causal", c.causal},
          {"max_len", c.max_len}, {"rope_base", c.rope_base}, {"norm_eps", c.norm_eps},
          {"balance_coef", c.balance_coef}, {"z_coef", c.z_coef}};
}

nlohmann::json config_json(const models::OneLayerConfig& c) {
  nlohmann::json j{{"vocab", c.vocab},   {"input_dim", c.input_dim}, {"m", c.m},
                   {"heads", c.heads},   {"hidden", c.hidden},       {"experts", c.experts},
                   {"switch_gate", c.switch_gate}};
  if (c.balance_coef > 0) j["balance_coef"] = c.balance_coef;  // added later: absent means none
  if (c.masked_token >= 0) j["masked_token"] = c.masked_token;  // the same
  return j;
}

models::OneLayerConfig one_layer_config(const nlohmann::json& j) {
  models::OneLayerConfig c;
  try {
    c = {.vocab = j.at("vocab"), .input_dim = j.at("input_dim"), .m = j.at("m"), .heads = j.at("heads"),
         .hidden = j.at("hidden"), .experts = j.at("experts"), .switch_gate = j.at("switch_gate"),
         .balance_coef = j.value("balance_coef", 0.0), .masked_token = j.value("masked_token", -1)};
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(std::string("the one-layer config in the checkpoint is incomplete: ") + e.what());
  }
  try {
    models::validate(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("the one-layer config in the checkpoint is invalid: ") + e.what());
  }
  return c;
}

}  // namespace moesim::sims
