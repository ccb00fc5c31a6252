#pragma once
// The communication protocol behind Thm 3.2, run on a real one-layer model.
//
// Alice holds a ⊆ [n] and writes the arcs (s, i), i ∈ a, at positions A (the first n slots of the
// length-2 format); Bob holds b and writes (i, d), i ∈ b, at positions B (the next n); the QUERY token is
// fixed and known to both, so is every head's query q_h = phi(QUERY) Q_h. Alice sends, per head, her part
// of the softmax numerator sum_{i in A} exp(q_h . k_i) v_i (m numbers) and of the denominator (1 number):
// H*(m+1) numbers. Bob adds his positions and the fixed ones, normalises, and evaluates psi himself,
// routing included — which is why the number of experts does not enter the bound.
#include <cstdint>

#include "graphs/instances.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

struct ProtocolRun {
  double model_output = 0;  // the model's own forward pass
  double bob_output = 0;    // what Bob computes from Alice's message
  long numbers_sent = 0;    // H * (m + 1)
  long bits_sent = 0;       // numbers_sent * bits per number
};

// `mantissa_bits` = 0 sends Alice's numbers as doubles (64 bits each); b > 0 rounds each to a float with
// a b-bit mantissa, a sign bit and an 11-bit exponent (b + 12 bits). The model must take token inputs in
// the length-2 format of `inst.nodes` vertices.
ProtocolRun run_protocol(models::OneLayer<double>& model, const graphs::Instance& inst, int mantissa_bits = 0);

// x rounded to the nearest float with a b-bit mantissa.
double round_mantissa(double x, int bits);

}  // namespace moesim::proofs
