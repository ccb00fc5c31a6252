#pragma once
// Model configurations and their sizes as pure functions.
#include <cstdint>
#include <string>

namespace moesim::models {

struct TransformerConfig {
  int vocab = 16;
  int d = 64;          // model width
  int layers = 2;
  int heads = 4;       // d % heads == 0, head size even (RoPE)
  int ffn_mult = 1;    // FFN hidden size = ffn_mult * d (the paper uses 1)
  int experts = 0;     // 0: dense SwiGLU FFN; E >= 1: MoE with E experts
  int top_k = 2;       // experts per token (MoE)
  // MoE weights of the chosen experts: true renormalises them to sum to 1 (Mixtral), false takes the
  // router's softmax probabilities (Switch). At top_k = 1 renormalising gives every token weight p/p = 1,
  // so the task sends the router no gradient (only the balancing and z losses train it).
  bool renormalize = true;
  bool causal = true;  // causal or bidirectional attention
  int max_len = 64;    // longest sequence
  double rope_base = 10000.0;
  double norm_eps = 1e-5;
  double balance_coef = 0.01;  // Switch load-balancing loss, normalised by k
  double z_coef = 0.0;         // router z-loss
  bool moe() const { return experts > 0; }
  int hidden() const { return ffn_mult * d; }
};

// The one-layer theory model of docs/claims.md: the model: only the last token queries, H heads with per-head
// Q, K, V (m x m), heads concatenated into z (H*m), then psi(z) -> one logit.
struct OneLayerConfig {
  int vocab = 0;      // > 0: token inputs with a (vocab, m) table; 0: real-vector inputs
  int input_dim = 0;  // real-vector inputs: phi(x) = x W_in with W_in (input_dim, m)
  int m = 8;          // embedding width
  int heads = 1;      // H
  int hidden = 8;     // m': psi's hidden width (per expert for the MoE)
  int experts = 0;    // 0: dense psi = u^T ReLU(W z + b); K >= 1: K experts, top-1 routing
  bool switch_gate = false;  // MoE: false = hard argmax (the theorems), true = Switch (output * prob)
  // MoE: Switch's load-balancing loss coef * E * sum_e f_e P_e on the router (f_e the share of inputs sent to
  // expert e, P_e its mean probability). Under the hard gate it is the router's only gradient: the routing
  // stays task-blind but is pushed to use every expert. 0: none (the router is a fixed random map when hard).
  double balance_coef = 0;
  // A token kept out of the keys (token inputs only): positions holding it get no attention, as if absent.
  // The length-2 format's EMPTY fills the slots of absent arcs; free to score, the many identical EMPTY
  // tokens can take the softmax over and leave the output constant (results/pilots/mask-empty). The
  // theorems still hold: in Thm 3.2's protocol Alice and Bob leave those positions out of their sums; the
  // dense construction (proofs/length2_construction.hpp, unmasked) averages over all N positions, and
  // masked its average is over the arcs and QUERY instead, so its fixed threshold no longer fits, but QUERY's
  // value in a spare dimension gives one that moves with the count (z_v - 1.5 z_QUERY): width |V| still
  // suffices. Every input must hold an unmasked token (length-2's QUERY). -1: none.
  int masked_token = -1;
  // How attention is computed (the same function, up to rounding): false folds each head's keys into the
  // query (O(N m + m^2) per head and input); true forms keys and values for every token (O(N m^2)), the
  // straightforward way, kept for tests and the benchmark.
  bool per_token_keys = false;
  // psi's output weights u at initialisation: N(0, 1/hidden), or zero so that the output starts constant
  // and the first gradients see no input-dependent noise to remove (the suspected way into the
  // constant-output trap; results/pilots/readout-init measures it). How the model starts, not what it is:
  // the model's config (config_json) leaves it out.
  bool zero_readout = false;
  bool moe() const { return experts > 0; }
  int z_dim() const { return heads * m; }
};

// Throws std::invalid_argument naming the field and the accepted values.
void validate(const TransformerConfig& c);
void validate(const OneLayerConfig& c);

struct ParamCounts {
  long total = 0;          // every parameter
  long active = 0;         // used per token: k of the E experts
  long embedding = 0;      // token embedding + output head
  long non_embedding = 0;  // total - embedding (the paper's x axis)
  long active_non_embedding = 0;
};

ParamCounts count_params(const TransformerConfig& c);
ParamCounts count_params(const OneLayerConfig& c);

// Width at which an MoE with K experts has the parameters of a dense model of width m_d: the
// parameter-matched width m_s = m_d / sqrt(K) of Cor. 3.4 (parameters grow as K * m^2).
double matched_width(double dense_width, int experts);

}  // namespace moesim::models
