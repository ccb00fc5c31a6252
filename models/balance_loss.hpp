#pragma once
// The Switch load-balancing loss from its two ingredients: per expert, the sum of the router probabilities
// over the n tokens, and the (token, slot) pairs routed to it (from offsets). The CPU backend calls it; the
// CUDA backend computes the same terms in the same order on the device (balance_terms_kernel).
//   loss = coef * E/k * sum_e f_e P_e,  f_e = count_e / n,  P_e = prob_sum_e / n
// The gradient flows through P only (f is a count): d loss / d probs[t][e] = coef * E/k * f_e / n.
#include <vector>

namespace moesim::models {

struct BalanceTerms {
  double loss = 0;
  std::vector<double> dprob;  // (E,) the gradient w.r.t. probs[t][e], the same for every token t
};

BalanceTerms balance_terms(const std::vector<double>& prob_sums, const int* offsets, int n, int k, double coef);

}  // namespace moesim::models
