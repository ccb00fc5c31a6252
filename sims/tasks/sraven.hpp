#pragma once
// SRAVEN (docs/claims.md: claim 3, [SRAVEN]): symbolic Raven matrices. A 3x3 grid of panels, each with K features whose
// values lie in {0..F-1}, F = 8; feature f follows the f-th rule of the problem's sorted rule multiset
// along every row, the three rows being independent draws. Each column shows the features in its own
// permutation of the K slots (shared by the column's panels). The model sees panels 1-8 and predicts
// panel 9.
//
// Splits: the multisets of K rules from the pool are split by a split seed (by default the run's seed, as
// the authors' code draws them from each run's seed) into floor(n / 4) held out (ood) and the rest (train
// and test). Problem i of a split comes from its own random stream of (seed, split, i), so the training
// stream, the test set and the OOD set never overlap.
#include <array>
#include <fmt/format.h>
#include <cstdint>
#include <string>
#include <vector>

namespace moesim::sims {

inline constexpr int kSravenValues = 8;  // F
inline constexpr int kSravenRules = 8;   // rule ids 0..7, see rule_name

enum class SravenSplit { Train, Test, Ood };

struct SravenProblem {
  int features = 0;                      // K
  std::vector<int> rules;                // (K,) rule of each feature, the sorted multiset
  std::array<std::vector<int>, 3> perms;  // perms[c][f]: the slot where column c shows feature f
  std::array<std::vector<int>, 9> panels;  // panels[3r + c][slot]: as presented
  const std::vector<int>& target() const { return panels[8]; }
};

// v mod F in 0..F-1, for negative v too (the rules' arithmetic).
inline int sraven_mod(int v) { return ((v % kSravenValues) + kSravenValues) % kSravenValues; }

const char* sraven_rule_name(int rule);  // "constant", "progression+1", ...

// The multisets of `features` rules drawn from rules 0..pool-1 (each sorted), in lexicographic order,
// split into floor(held_fraction n) held out (the OOD split) and the rest. The held-out ones are the first
// of a shuffle drawn from (split_seed, attempt); the first attempt (0, 1, 2, ...) in which every rule of
// the pool appears on both sides is kept, so neither side lacks a rule. UsageError when no split can have
// every rule on both sides (one feature, where each rule is one multiset; a pool too small to hold any
// multiset out).
struct SravenSplits {
  std::vector<std::vector<int>> in_distribution, held_out;
  uint64_t split_seed = 0;
  int attempt = 0;  // the draw kept
};
SravenSplits sraven_splits(int features, int pool, uint64_t split_seed, double held_fraction = 0.25);

// Problem `index` of `split`, deterministic in (seed, split, index).
SravenProblem sraven_problem(const SravenSplits& splits, int features, SravenSplit split, uint64_t seed, uint64_t index);

// The model's view: panels 1-8 row-major (8K value tokens 0..F-1), then K query tokens (id F).
// Vocabulary F + 1; the targets are the K values of panel 9 at the query positions.
inline constexpr int kSravenQuery = kSravenValues;
std::vector<int> sraven_tokens(const SravenProblem& p);

// One JSON line: {"features":K,"rules":[..],"perms":[[..],[..],[..]],"panels":[[..] x 9],"target":[..]}.
void append_sraven_jsonl(fmt::memory_buffer& out, const SravenProblem& p);

}  // namespace moesim::sims
