#pragma once
// The versions of what models/ computes: bump one in the same change as anything that alters a result of
// a forward pass, a backward pass, an initialisation or an optimizer step. Run records carry them and a
// sweep's record identity includes them, so a change of results never reuses an old record;
// tests/sims/test_golden.cpp pins a run's bits to them and fails when they change without a bump.
namespace moesim::models {

// The backends' ops (CPU and CUDA), the shared layers and AdamW. 2: GEMMs in fixed blocks (the same bits
// with any thread count); 3: no FMA contraction (-ffp-contract=off).
// (Not bumped when the auxiliary losses, the loss sum and the clipping decision moved onto the backend: no CPU
// bit changed, as the golden test checks, and on the GPU only the reported loss, now summed by a block
// reduction, rounds differently; the updates are the same. No GPU run record had been committed.)
inline constexpr int kBackendVersion = 3;
// The Transformer family. 2: the gate is an option (--gate); at top-k 1 it defaults to the router's
// probability, where it was always renormalised (a weight of 1 and a router the task did not train).
inline constexpr int kTransformerVersion = 2;
// The one-layer family. 2: the keys folded into the query; Q initialised for scores of unit variance.
inline constexpr int kOneLayerVersion = 2;

}  // namespace moesim::models
