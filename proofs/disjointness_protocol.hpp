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
#include <vector>

#include "graphs/instances.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

struct ProtocolRun {
  double model_output = 0;  // the model's own forward pass
  double bob_output = 0;    // what Bob computes from Alice's message
  long numbers_sent = 0;    // H * (m + 1)
  long bits_sent = 0;       // numbers_sent * bits per number
};

// The protocol's two parties for one model, its weights read once. Each party's share is, per head h, its
// part of the softmax numerator sum_i exp(q_h . k_i) v_i (m numbers) and denominator (1): H (m+1) numbers.
// The model must take token inputs in the length-2 format of `vertices` vertices.
class Protocol {
 public:
  Protocol(models::OneLayer<double>& model, int vertices);
  // Alice's message: her share over positions A; `mantissa_bits` = 0 sends doubles (64 bits each), b > 0
  // rounds each number to a b-bit mantissa, a sign bit and an 11-bit exponent (b + 12 bits).
  std::vector<double> alice(const graphs::Instance& inst, int mantissa_bits) const;
  // Bob's own share: positions B, then with the fixed QUERY token's share added.
  std::vector<double> bob_positions(const graphs::Instance& inst) const;
  std::vector<double> bob(const graphs::Instance& inst) const;
  const std::vector<double>& query_share() const { return query_; }
  // Bob's output from the summed shares: normalise each head, evaluate psi, routing included.
  double finish(const std::vector<double>& sums) const;
  long numbers() const { return long(H_) * (m_ + 1); }

 private:
  std::vector<double> share(const std::vector<int>& tokens, int from, int to) const;
  const models::OneLayerConfig c_;
  int n_, N_, H_, m_;
  std::vector<double> params_;
  models::OneLayerTensors<const double> w_;
  std::vector<double> weight_, value_;  // per token and head: exp(q_h . k_h(token)), v_h(token) (m)
  std::vector<double> query_;            // the QUERY token's share
};

// One input through the protocol and through the model's own forward pass.
ProtocolRun run_protocol(models::OneLayer<double>& model, const graphs::Instance& inst, int mantissa_bits = 0);

// x rounded to the nearest float with a b-bit mantissa.
double round_mantissa(double x, int bits);

}  // namespace moesim::proofs
