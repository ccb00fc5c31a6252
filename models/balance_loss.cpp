#include "balance_loss.hpp"

namespace moesim::models {

BalanceTerms balance_terms(const std::vector<double>& prob_sums, const int* offsets, int n, int k, double coef) {
  const int E = int(prob_sums.size());
  BalanceTerms t;
  t.dprob.resize(E);
  double sum = 0;
  for (int e = 0; e < E; ++e) {
    const double f = double(offsets[e + 1] - offsets[e]) / n;
    sum += f * (prob_sums[e] / n);
    t.dprob[e] = coef * E / k * f / n;
  }
  t.loss = coef * E / k * sum;
  return t;
}

}  // namespace moesim::models
