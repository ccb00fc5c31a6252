#include "length2_construction.hpp"

#include <stdexcept>
#include <vector>

#include "graphs/encode.hpp"
#include "graphs/instances.hpp"
#include "graphs/rng.hpp"

namespace moesim::proofs {
namespace {

// Runs the model on the instances and counts wrong answers (positive iff the output is > 0).
CheckResult evaluate(models::OneLayer<double>& model, const std::vector<graphs::Instance>& instances) {
  CheckResult r;
  if (instances.empty()) return r;
  const int N = graphs::Length2Vocab{instances[0].nodes}.length();
  std::vector<int> tokens;
  for (const auto& inst : instances) {
    const auto t = graphs::encode_length2(inst);
    tokens.insert(tokens.end(), t.begin(), t.end());
  }
  model.forward(tokens.data(), nullptr, nullptr, int(instances.size()), N);
  const auto out = model.outputs();
  for (size_t i = 0; i < instances.size(); ++i) r.wrong += (out[i] > 0) != instances[i].label;
  r.instances = long(instances.size());
  return r;
}

}  // namespace

std::unique_ptr<models::OneLayer<double>> dense_length2_model(models::Backend<double>& backend, int n) {
  if (n < 3) throw std::invalid_argument("length-2 path needs at least 3 vertices");
  const graphs::Length2Vocab voc{n};
  const int N = voc.length();
  models::OneLayerConfig c{.vocab = voc.size(), .m = n, .heads = 1, .hidden = n};
  auto model = std::make_unique<models::OneLayer<double>>(c, backend, 0);
  auto& store = model->store();
  std::vector<double> p(store.size(), 0.0);  // everything not set below is 0 (Q, K, EMPTY, QUERY)
  const auto w = models::one_layer_tensors(c, p.data());
  for (int v = 1; v <= n - 2; ++v) {
    w.embed(voc.from_source(v), v) = 1.0;  // arc (s,v) -> e_v
    w.embed(voc.to_dest(v), v) = 1.0;      // arc (v,d) -> e_v
  }
  for (int i = 0; i < n; ++i) {  // psi is dense: expert 0 of 1
    w.V(i, i) = 1.0;
    w.W(0, i, i) = double(N);
    w.b(0, i) = -1.5;
    w.u(0, i) = 1.0;
  }
  store.upload(store.params(), p);
  return model;
}

CheckResult check_dense_length2_exhaustive(models::Backend<double>& backend, int n) {
  if (n > 12) throw std::invalid_argument("exhaustive checks go up to 12 vertices (4^10 inputs)");
  auto model = dense_length2_model(backend, n);
  const int inner = n - 2;
  CheckResult total;
  std::vector<graphs::Instance> batch;
  auto flush = [&] {
    const auto r = evaluate(*model, batch);
    total.instances += r.instances, total.wrong += r.wrong;
    batch.clear();
  };
  for (uint64_t a = 0; a < (uint64_t{1} << inner); ++a)
    for (uint64_t b = 0; b < (uint64_t{1} << inner); ++b) {
      batch.push_back(graphs::disjointness_from_masks(n, a, b));
      if (batch.size() == 4096) flush();
    }
  flush();
  return total;
}

CheckResult check_dense_length2_random(models::Backend<double>& backend, int n, int count, uint64_t seed) {
  auto model = dense_length2_model(backend, n);
  CheckResult total;
  std::vector<graphs::Instance> batch;
  for (int i = 0; i < count; ++i) {
    graphs::Rng rng(seed, uint64_t(i));
    // Alternate dense and sparse arc sets so both answers occur at every size.
    const double p = i % 2 ? 0.5 : 1.0 / std::max(1, n - 2);
    const uint64_t t = graphs::Rng::threshold(p);
    std::vector<int> a, b;
    for (int v = 1; v <= n - 2; ++v) {
      if (rng.bernoulli(t)) a.push_back(v);
      if (rng.bernoulli(t)) b.push_back(v);
    }
    batch.push_back(graphs::disjointness_instance(n, a, b));
    if (batch.size() == 64 || i + 1 == count) {
      const auto r = evaluate(*model, batch);
      total.instances += r.instances, total.wrong += r.wrong;
      batch.clear();
    }
  }
  return total;
}

}  // namespace moesim::proofs
