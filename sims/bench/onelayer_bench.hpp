#pragma once
// Training speed of the one-layer model at the width experiments' largest size (|V| = 128 on the
// length-2 format: N = 253 positions), with the attention's two paths side by side: keys folded into the
// query (the default) and keys and values formed for every token (OneLayerConfig::per_token_keys).
#include <string>

#include "models/config.hpp"

namespace moesim::sims {

// Trains `steps` AdamW steps (after `warmup` untimed ones) on random length-2-format tokens of `vertices`,
// each step a recorded graph where the backend records them (models/train_step.hpp) unless `record` is false.
double onelayer_steps_per_second(const models::OneLayerConfig& c, int vertices, int batch, int steps, int warmup,
                                 const std::string& device, bool record = true);

}  // namespace moesim::sims
