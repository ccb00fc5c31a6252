#pragma once
// Thm 3.2's mechanism measured on a given one-layer model (trained, random or constructed) in the
// length-2 format of n vertices, over every input the format allows (all 4^(n-2) pairs of arc sets at s
// and at d; n <= 12):
//   - the precision its protocol needs: the smallest mantissa width b at which Bob, from Alice's b-bit
//     message, answers every input as the model itself does; the bits sent are H(m+1)(b+12) (a sign and an
//     11-bit exponent per number), against the n-2 bits that DISJ needs;
//   - its worst case: the share of all inputs it answers right, and the first it answers wrong (a failure
//     witness), beside its accuracy on the task's own distribution.
// Alice's messages and Bob's shares are computed once per arc set, so a pair costs only Bob's last step.
#include <cstdint>
#include <optional>

#include "graphs/instances.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

inline constexpr int kMaxCheckedVertices = 12;

struct ProtocolPrecision {
  int smallest_bits = -1;  // -1: no b up to 52 reproduces every answer
  long inputs = 0;         // 4^(n-2)
  long bits_sent = 0;      // H (m+1) (b+12) at smallest_bits
};

// The model must read the length-2 format of n vertices, 4 <= n <= kMaxCheckedVertices.
ProtocolPrecision smallest_protocol_bits(models::OneLayer<double>& model, int n);
// On how many of the 4^(n-2) inputs Bob's answer from `bits`-bit messages differs from the model's.
long protocol_disagreements(models::OneLayer<double>& model, int n, int bits);

struct WorstCase {
  long inputs = 0, right = 0;
  std::optional<graphs::Instance> witness;  // the first input answered wrong (arc sets in counting order)
  double accuracy() const { return inputs ? double(right) / double(inputs) : 0.0; }
};
WorstCase exhaustive_worst_case(models::OneLayer<double>& model, int n);

// Both, from one pass of the model over every input.
struct ExhaustiveReport {
  ProtocolPrecision protocol;
  WorstCase worst;
};
ExhaustiveReport examine_exhaustively(models::OneLayer<double>& model, int n);

}  // namespace moesim::proofs
