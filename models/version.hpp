#pragma once
// The versions of what models/ computes: bump one in the same change as anything that alters a result of
// a forward pass, a backward pass, an initialisation or an optimizer step. Run records carry them and a
// sweep's record identity includes them, so a change of results never reuses an old record;
// tests/sims/test_golden.cpp pins a run's bits to them and fails when they change without a bump.
namespace moesim::models {

// The backends' ops (CPU and CUDA), the shared layers and AdamW. 2: GEMMs in fixed blocks (the same bits
// with any thread count); 3: no FMA contraction (-ffp-contract=off).
inline constexpr int kBackendVersion = 3;
// The CUDA backend's own count (a run's code version takes the one of the device it ran on), so that a change
// of GPU results alone leaves the CPU's records valid. Until 3 it was kBackendVersion. 4: the loss sum, the
// auxiliary losses and the clipping decision on the device, the one-layer MoE's psi on the grouped kernels
// instead of cuBLAS per expert (other rounding; on the CPU no bit changed, as the golden test checks).
// 5: the Transformer's attention fused (Backend::attention_forward/backward: no (T,T) scores in memory).
inline constexpr int kCudaBackendVersion = 5;
// The Transformer family. 2: the gate is an option (--gate); at top-k 1 it defaults to the router's
// probability, where it was always renormalised (a weight of 1 and a router the task did not train).
inline constexpr int kTransformerVersion = 2;
// The one-layer family. 2: the keys folded into the query; Q initialised for scores of unit variance.
inline constexpr int kOneLayerVersion = 2;

}  // namespace moesim::models
