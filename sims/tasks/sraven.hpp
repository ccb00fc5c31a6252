#pragma once
// SRAVEN (docs/claims.md: claim 3, [SRAVEN]): symbolic Raven matrices. A 3x3 grid of panels, each with K features whose
// values lie in {0..F-1}, F = 8; feature f follows the f-th rule of the problem's sorted rule multiset
// along every row, the three rows being independent draws. Each column shows the features in its own
// permutation of the K slots (shared by the column's panels). The model sees panels 1-8 and predicts
// panel 9.
//
// Splits: the multisets of K rules from the pool are split once, by a fixed seed, into 75% in
// distribution (train and test) and 25% held out (ood). Problem i of a split comes from its own random
// stream of (seed, split, i), so the training stream, the test set and the OOD set never overlap.
#include <array>
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

const char* sraven_rule_name(int rule);  // "constant", "progression+1", ...

// The multisets of `features` rules drawn from rules 0..pool-1 (each sorted), in lexicographic order,
// and which of them are held out (the OOD split; 25%, at least one, chosen by a fixed seed).
struct SravenSplits {
  std::vector<std::vector<int>> in_distribution, held_out;
};
SravenSplits sraven_splits(int features, int pool = kSravenRules);

// Problem `index` of `split`, deterministic in (seed, split, index).
SravenProblem sraven_problem(const SravenSplits& splits, int features, SravenSplit split, uint64_t seed, uint64_t index);

// The model's view: panels 1-8 row-major (8K value tokens 0..F-1), then K query tokens (id F).
// Vocabulary F + 1; the targets are the K values of panel 9 at the query positions.
inline constexpr int kSravenQuery = kSravenValues;
std::vector<int> sraven_tokens(const SravenProblem& p);

}  // namespace moesim::sims
