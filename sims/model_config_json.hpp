#pragma once
// Model configurations as JSON: written into run records and checkpoint metadata ("config"), read back
// to rebuild a saved model.
#include <nlohmann/json.hpp>

#include "models/config.hpp"

namespace moesim::sims {

nlohmann::json config_json(const models::TransformerConfig& c);
nlohmann::json config_json(const models::OneLayerConfig& c);
// Throws UsageError naming the missing or mistyped key, or the field out of range.
models::OneLayerConfig one_layer_config(const nlohmann::json& j);

}  // namespace moesim::sims
