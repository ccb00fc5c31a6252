#pragma once
// The attention layer's two paths side by side (`moesim bench attention`): the (T,T) scores materialised
// (gemm_batched, softmax) and the backend's fused op (Backend::attention_forward/backward), each timed over
// the layer's whole forward and backward (projections and RoPE included, as training pays them).
#include <string>

namespace moesim::sims {

struct AttentionBenchResult {
  double materialised_ms = 0, fused_ms = 0;  // one forward + backward, the median of the repeats
  // Largest |materialised - fused| over the layer's output and input gradient, relative to their largest
  // magnitude: the two paths compute the same function, so this is rounding.
  double max_difference = 0;
};

// On `device` (cpu, cuda) in fp32, heads of d / H; one untimed pass per path first. Throws UsageError on a GPU
// whose fused op does not take heads of that width.
AttentionBenchResult bench_attention(int B, int T, int d, int H, bool causal, int repeats, const std::string& device);

}  // namespace moesim::sims
