#pragma once
// The version of what models/ computes: bump it in the same change as anything that alters a result of a
// forward pass, a backward pass, an initialisation or an optimizer step, on any backend. Run records
// carry it and a sweep's record identity includes it, so a change of results never reuses an old
// record; tests/sims/test_golden.cpp pins a run's bits to it and fails when they change without a bump.
namespace moesim::models {

inline constexpr int kModelsVersion = 2;  // 2: GEMMs in fixed blocks (the same bits with any thread count)

}  // namespace moesim::models
