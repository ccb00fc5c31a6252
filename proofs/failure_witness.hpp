#pragma once
// Failure witnesses: inputs on which a one-layer model answers length-2 path wrongly. A model narrower
// than the bound of Thm 3.2 must have one; the search finds it (all 4^(n-2) arc sets when that is
// within the budget, random ones otherwise) and returns the first.
#include <cstdint>
#include <optional>

#include "graphs/instances.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

struct WitnessSearch {
  long tried = 0;
  bool exhaustive = false;
  std::optional<graphs::Instance> witness;  // empty: the model answered every input tried correctly
};

// The model takes the length-2 format of n vertices; an answer is "path" iff the output is > 0.
WitnessSearch find_failure(models::OneLayer<double>& model, int vertices, long budget, uint64_t seed);

}  // namespace moesim::proofs
