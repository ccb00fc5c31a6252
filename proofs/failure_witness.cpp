#include "failure_witness.hpp"

#include <vector>

#include "graphs/encode.hpp"
#include "graphs/rng.hpp"

namespace moesim::proofs {

WitnessSearch find_failure(models::OneLayer<double>& model, int n, long budget, uint64_t seed) {
  const int inner = n - 2, N = graphs::Length2Vocab{n}.length();
  WitnessSearch s;
  s.exhaustive = 2 * inner < 62 && (long(1) << (2 * inner)) <= budget;
  const long total = s.exhaustive ? long(1) << (2 * inner) : budget;
  std::vector<graphs::Instance> batch;
  std::vector<int> tokens;
  auto flush = [&] {
    if (batch.empty()) return;
    tokens.clear();
    for (const auto& inst : batch) {
      const auto t = graphs::encode_length2(inst);
      tokens.insert(tokens.end(), t.begin(), t.end());
    }
    model.forward(tokens.data(), nullptr, nullptr, int(batch.size()), N);
    const auto out = model.outputs();
    for (size_t i = 0; i < batch.size() && !s.witness; ++i)
      if ((out[i] > 0) != batch[i].label) s.witness = batch[i];
    s.tried += long(batch.size());
    batch.clear();
  };
  for (long code = 0; code < total && !s.witness; ++code) {
    std::vector<int> a, b;
    if (s.exhaustive) {
      for (int i = 0; i < inner; ++i) {
        if (code >> i & 1) a.push_back(i + 1);
        if (code >> (inner + i) & 1) b.push_back(i + 1);
      }
      batch.push_back(graphs::disjointness_instance(n, a, b));
    } else {
      graphs::Rng rng(seed, uint64_t(code));
      batch.push_back(graphs::random_disjointness_instance(n, code % 2 == 0, rng));
    }
    if (batch.size() == 1024) flush();
  }
  flush();
  return s;
}

}  // namespace moesim::proofs
