#pragma once
// The papers' statements as functions (docs/claims.md: claims 1, 2). The theorems hide constants; here they are
// explicit parameters, with the values the toolkit's constructions and protocol actually achieve.
namespace moesim::proofs {

// Thm 3.2: a one-layer MoE (any number of experts) that solves length-2 path on |V| vertices with
// sequences of N tokens and O(log N)-bit numbers needs m*H >= c * |V| / log2(N).
double moe_width_lower_bound(int vertices, int seq_len, double c = 1.0);

// The protocol of Thm 3.2 sends H*(m+1) numbers of `bits` bits; DISJ on n = |V|-2 elements needs n bits,
// so a model that decides every instance has H*(m+1)*bits >= |V|-2, i.e. m >= (|V|-2)/(H*bits) - 1.
double protocol_width_lower_bound(int vertices, int heads, int bits);
long protocol_bits(int heads, int width, int bits);  // H*(m+1)*bits

// Thm 3.3: a dense one-layer model of width |V| (H = 1) solves length-2 path on every input.
int dense_width_upper_bound(int vertices);

// Cor 3.4: with m_d = |V|, the parameter-matched MoE width m_d/sqrt(K) falls below the lower bound
// c*|V|/(H*log2 N) once K > (H*log2(N)/c)^2: the smallest such K.
long breaking_expert_count(int seq_len, int heads, double c = 1.0);

// Thm 3.5, log factors dropped: K experts each memorise their n/K samples with ceil(n/(K*z_dim)) ReLU
// neurons over z of dimension z_dim (a neuron's W row, bias and output weight: z_dim + 2 parameters,
// about z_dim samples' worth), plus a router of K*z_dim. Active = router + one expert (~ n/K + K*z_dim);
// total = router + K experts (~ n + K*z_dim).
struct MemorizationCounts {
  long active = 0, total = 0;
};
MemorizationCounts moe_memorization_params(long samples, int experts, int z_dim);

// Thm 3.6: a dense model with W parameters of c bits each realises at most 2^(c*W) labelings, so
// memorising arbitrary labels of n samples needs W >= n / c.
double dense_memorization_lower_bound(long samples, double bits_per_param);

}  // namespace moesim::proofs
