#pragma once
// Training throughput of the Transformer on fixed shapes (the benchmark of `moesim bench train`).
#include <string>
#include <vector>

#include "models/config.hpp"

namespace moesim::sims {

struct TrainBenchCase {
  std::string name;
  models::TransformerConfig config;
  int B, T;
};

// The four configurations of the CPU benchmark; with `paper_scale`, also the paper's scale (d=256, L=12,
// E in {8, 64}, top-2, B=32, T=256) for the GPU.
std::vector<TrainBenchCase> train_bench_cases(bool paper_scale = false);

struct TrainBenchResult {
  double tokens_per_second = 0;
  double gflops = 0;          // achieved model FLOP/s (forward + backward), in GFLOP/s
  double rss_mib_after = 0;   // resident memory after the run
};

// Forward FLOPs per token: 2 per active weight (experts: k of E) plus attention's two T x d products.
double forward_flops_per_token(const models::TransformerConfig& c, int T);

// Trains `steps` AdamW steps on random tokens after `warmup` untimed steps on `device` (cpu, cuda), each
// step a recorded graph where the backend records them (models/train_step.hpp) unless `record` is false.
// `precision`: the GPU's matrix products (fp32 | bf16; sims/device.hpp).
TrainBenchResult bench_train(const TrainBenchCase& c, int steps, int warmup, const std::string& device,
                             bool record = true, const std::string& precision = "fp32");

// GEMM rate of the device's backend (Eigen or cuBLAS) in `precision`, n x n x n, in GFLOP/s: the reference
// rate. bf16 includes the backend's rounding of both inputs to bf16 before each product, as training pays it.
double sgemm_gflops(int n, int repeats, const std::string& device, const std::string& precision = "fp32");

}  // namespace moesim::sims
