#include "bench/train_bench.hpp"

#include <chrono>
#include <fstream>
#include <unistd.h>

#include "device.hpp"
#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/train_step.hpp"
#include "models/transformer.hpp"

namespace moesim::sims {
namespace {

using Clock = std::chrono::steady_clock;

double rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

std::vector<TrainBenchCase> train_bench_cases(bool paper_scale) {
  auto make = [](int d, int L, int H, int E, int B, int T) {
    models::TransformerConfig c{.vocab = 128, .d = d, .layers = L, .heads = H, .experts = E, .top_k = 2, .max_len = T};
    const std::string name = std::string(E ? "moe" : "dense") + " d=" + std::to_string(d) + " L=" +
                             std::to_string(L) + (E ? " E=" + std::to_string(E) + " k=2" : "") + " B=" +
                             std::to_string(B) + " T=" + std::to_string(T);
    return TrainBenchCase{name, c, B, T};
  };
  std::vector<TrainBenchCase> cases{make(64, 2, 4, 0, 32, 64), make(64, 2, 4, 16, 32, 64),
                                    make(256, 4, 8, 0, 16, 128), make(256, 4, 8, 8, 16, 128)};
  if (paper_scale) {
    cases.push_back(make(256, 12, 8, 0, 32, 256));
    cases.push_back(make(256, 12, 8, 8, 32, 256));
    cases.push_back(make(256, 12, 8, 64, 32, 256));
  }
  return cases;
}

double forward_flops_per_token(const models::TransformerConfig& c, int T) {
  const auto p = models::count_params(c);
  const double matmul_weights = double(p.active_non_embedding) + double(c.vocab) * c.d;  // + the head
  return 2.0 * matmul_weights + 4.0 * c.layers * double(T) * c.d;  // QK^T and AV
}

TrainBenchResult bench_train(const TrainBenchCase& bc, int steps, int warmup, const std::string& device, bool record,
                             const std::string& precision) {
  auto be = make_backend(device, precision);
  models::Transformer<float> model(bc.config, *be, 1);
  models::AdamW<float> opt({}, model.store());
  models::TrainStep<float> train_step(model, opt, record);
  const int n = bc.B * bc.T;
  graphs::Rng rng(5);
  models::Batch batch{.B = bc.B, .T = bc.T, .tokens = std::vector<int>(n), .targets = std::vector<int>(n),
                      .weights = std::vector<float>(n, 1.0f / n)};
  for (auto& t : batch.tokens) t = int(rng.below(bc.config.vocab));
  for (auto& t : batch.targets) t = int(rng.below(bc.config.vocab));
  auto step = [&](long s) { train_step.run(batch, s, warmup + steps); };
  for (int s = 0; s < warmup; ++s) step(s);
  const auto t0 = Clock::now();
  for (int s = 0; s < steps; ++s) step(warmup + s);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  TrainBenchResult r;
  r.tokens_per_second = double(n) * steps / seconds;
  r.gflops = 3.0 * forward_flops_per_token(bc.config, bc.T) * r.tokens_per_second / 1e9;
  r.rss_mib_after = rss_mib();
  return r;
}

double sgemm_gflops(int n, int repeats, const std::string& device, const std::string& precision) {
  auto be = make_backend(device, precision);
  const size_t bytes = size_t(n) * n * sizeof(float);
  std::vector<float> host(size_t(n) * n, 0.5f);
  auto* a = static_cast<float*>(be->alloc(bytes));
  auto* b = static_cast<float*>(be->alloc(bytes));
  auto* c = static_cast<float*>(be->alloc(bytes));
  be->upload(a, host.data(), bytes);
  be->upload(b, host.data(), bytes);
  float probe = 0;
  be->gemm(false, false, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);  // warm up
  be->download(&probe, c, sizeof(float));
  const auto t0 = Clock::now();
  for (int i = 0; i < repeats; ++i) be->gemm(false, false, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
  be->download(&probe, c, sizeof(float));  // waits for the GPU
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (float* p : {a, b, c}) be->release(p);
  return 2.0 * n * double(n) * n * repeats / seconds / 1e9;
}

}  // namespace moesim::sims
