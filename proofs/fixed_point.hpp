#pragma once
// The one-layer forward pass with every number rounded to fixed point with b fractional bits (after each
// multiplication, sum, exponential and division), to measure the precision a construction needs: the
// theorems assume O(log N)-bit numbers.
#include <vector>

#include "graphs/instances.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

double round_fixed(double x, int fraction_bits);

// The output of a dense token OneLayer on `tokens` (N,), every intermediate rounded to b fractional bits.
double fixed_point_forward(models::OneLayer<double>& model, const std::vector<int>& tokens, int fraction_bits);

// The smallest b at which the dense length-2 construction of n vertices answers every input (all arc
// sets) right with fixed-point arithmetic, or -1 if none up to 40 does.
int smallest_fixed_point_bits(int vertices);

}  // namespace moesim::proofs
