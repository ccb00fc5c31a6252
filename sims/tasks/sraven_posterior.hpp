#pragma once
// What the eight panels of a SRAVEN problem say about the ninth, under the generator's own sampling: every
// reading of the panels (which slots of the three columns carry the same feature, and which rule each
// feature follows, its rules a multiset of the split) that could have produced them, weighted by its
// probability, and the posterior over the ninth panel it implies. The most likely ninth panel is the
// Bayes-optimal guess; its posterior probability is that guess's chance of being right, so its mean over a
// test set is the ceiling no model can beat on it.
//
// A reading's weight: P(multiset) (uniform over the split's multisets) times the number of ways the
// generator's column permutations give it (the product of m! over the multiplicities m of its rules) times,
// per feature, the probability of its nine values under its rule (constant and progressions 1/8 per row;
// addition and subtraction 1/64 per row; distribute-three 1/56 for its set of three values, then 1/6 per
// row for its order). The common factor (1/K!)^3 of the permutations cancels.
#include <array>
#include <set>
#include <vector>

#include "tasks/sraven.hpp"

namespace moesim::sims {

struct SravenPosterior {
  long readings = 0;       // readings that fit the eight panels
  double best = 0;         // the posterior probability of the most likely ninth panel
  std::vector<int> guess;  // that panel (slots as presented)
  bool unique = false;     // every reading predicts the same ninth panel
  bool truncated = false;  // more than the limit of readings: best is a lower bound of nothing; left out
};

// `multisets`: the split's multisets (sorted), the prior. Stops at `limit` readings (truncated).
SravenPosterior sraven_posterior(const SravenProblem& p, const std::set<std::vector<int>>& multisets,
                                 long limit = 1000000);

// The probability of a feature's nine values under `rule` (rows: (v[0], v[1], v[2]), (v[3], ...), ...).
double sraven_track_probability(int rule, const std::array<int, 9>& values);

}  // namespace moesim::sims
