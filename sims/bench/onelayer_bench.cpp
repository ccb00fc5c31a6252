#include "bench/onelayer_bench.hpp"

#include <chrono>

#include "device.hpp"
#include "graphs/encode.hpp"
#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/one_layer.hpp"
#include "models/train_step.hpp"

namespace moesim::sims {

double onelayer_steps_per_second(const models::OneLayerConfig& c, int vertices, int batch, int steps, int warmup,
                                 const std::string& device, bool record) {
  auto be = make_backend(device);
  models::OneLayer<float> model(c, *be, 1);
  models::AdamW<float> opt({}, model.store());
  models::TrainStep<float> train_step(model, opt, record);
  const int N = graphs::Length2Vocab{vertices}.length();
  graphs::Rng rng(3);
  models::Batch b{.B = batch, .T = N};
  for (int i = 0; i < batch * N; ++i) b.tokens.push_back(int(rng.below(uint64_t(c.vocab))));
  for (int i = 0; i < batch; ++i) b.labels.push_back(rng.below(2) ? 1.0f : -1.0f);
  auto step = [&](long s) { train_step.run(b, s, warmup + steps); };
  for (int s = 0; s < warmup; ++s) step(s);
  const auto t0 = std::chrono::steady_clock::now();
  for (int s = 0; s < steps; ++s) step(warmup + s);
  return steps / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace moesim::sims
