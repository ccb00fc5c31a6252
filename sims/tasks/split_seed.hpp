#pragma once
// The seed of one split's stream of examples, from the run's seed: the recipe the README documents, so
// that anyone can regenerate a split.
//
//   split_seed(seed, split) = splitmix64(seed XOR salt(split))
//   salt: "train" = 0x747261696e, "test" = 0x74657374, "confirm" = 0x636f6e6669726d (the names in ASCII)
//   example i of the split comes from graphs::Rng(split_seed, i): xoshiro256** seeded by SplitMix64 from
//   split_seed XOR (0x9E3779B97F4A7C15 * (i + 1)).
#include <cstdint>

#include "graphs/rng.hpp"

namespace moesim::sims {

enum class Split { Train, Test, Confirm };

inline uint64_t split_seed(uint64_t seed, Split split) {
  const uint64_t salt = split == Split::Train ? 0x747261696eull : split == Split::Test ? 0x74657374ull : 0x636f6e6669726dull;
  uint64_t state = seed ^ salt;
  return graphs::Rng::splitmix64(state);
}

}  // namespace moesim::sims
