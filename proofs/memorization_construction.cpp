#include "memorization_construction.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "models/init.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {
namespace {

// One ReLU neuron of an expert: u * ReLU(w.z + b).
struct Neuron {
  Eigen::VectorXd w;
  double b, u;
};

// The neurons that give sign(f(z_i)) = y_i on an expert's samples (rows of z).
std::vector<Neuron> memorize_expert(const Eigen::MatrixXd& z, const std::vector<int>& members, const std::vector<double>& y) {
  const int m = int(z.cols());
  long positives = 0;
  for (int i : members) positives += y[i] > 0;
  const double majority = 2 * positives >= long(members.size()) ? 1.0 : -1.0;
  std::vector<Neuron> neurons{{Eigen::VectorXd::Zero(m), 1.0, majority}};  // f = majority everywhere...
  std::vector<int> minority;
  for (int i : members)
    if (y[i] != majority) minority.push_back(i);
  for (size_t g0 = 0; g0 < minority.size(); g0 += size_t(m)) {  // ...but on each group of m minority samples
    const size_t g1 = std::min(minority.size(), g0 + size_t(m));
    Eigen::MatrixXd group(g1 - g0, m);  // (g, m)
    for (size_t r = g0; r < g1; ++r) group.row(Eigen::Index(r - g0)) = z.row(minority[r]);
    // The hyperplane w.z = 1 through the group (the least-norm solution when the group is short).
    const Eigen::VectorXd w = group.completeOrthogonalDecomposition().solve(Eigen::VectorXd::Ones(group.rows()));
    const auto in_group = [&](int i) { return std::find(&minority[g0], &minority[0] + g1, i) != &minority[0] + g1; };
    double gap = std::numeric_limits<double>::infinity();
    for (int i : members)
      if (!in_group(i)) gap = std::min(gap, std::abs(z.row(i).dot(w) - 1.0));
    const double eps = std::isfinite(gap) ? gap / 2 : 1.0;
    // bump(t) = (ReLU(t + eps) - 2 ReLU(t) + ReLU(t - eps)) / eps: 1 at t = 0, 0 for |t| >= eps.
    const double h = -2 * majority / eps;
    neurons.push_back({w, -1.0 + eps, h});
    neurons.push_back({w, -1.0, -2 * h});
    neurons.push_back({w, -1.0 - eps, h});
  }
  return neurons;
}

}  // namespace

MemorizationRun memorize_gaussian(models::Backend<double>& backend, int n, int N, int m, int K, uint64_t seed) {
  // Data: X (n, N, m) and labels, and the means z_i that the attention layer will compute.
  std::vector<float> x(size_t(n) * N * m);
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(models::normal_at(seed, 1, i));
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) y[i] = models::mix64(seed ^ models::mix64(0xC0FFEE + i)) & 1 ? 1.0 : -1.0;
  Eigen::MatrixXd z = Eigen::MatrixXd::Zero(n, m);  // (n, m)
  for (int i = 0; i < n; ++i)
    for (int t = 0; t < N; ++t)
      for (int j = 0; j < m; ++j) z(i, j) += double(x[(size_t(i) * N + t) * m + j]) / N;

  // Router (K, m): equal angular sectors in the (z_0, z_1) plane, turned by a random angle.
  Eigen::MatrixXd R = Eigen::MatrixXd::Zero(K, m);
  const double turn = 2 * std::numbers::pi * double(models::mix64(seed ^ 0x5EC7) >> 11) * 0x1.0p-53;
  for (int e = 0; e < K; ++e) {
    R(e, 0) = std::cos(turn + 2 * std::numbers::pi * e / K);
    if (m > 1) R(e, 1) = std::sin(turn + 2 * std::numbers::pi * e / K);
  }
  std::vector<std::vector<int>> members(K);
  for (int i = 0; i < n; ++i) {
    Eigen::Index best;
    (R * z.row(i).transpose()).maxCoeff(&best);  // ties: the lower index, as the forward pass does
    members[best].push_back(i);
  }
  std::vector<std::vector<Neuron>> experts(K);
  MemorizationRun run{.samples = n, .experts = K, .width = m};
  for (int e = 0; e < K; ++e) {
    run.max_load = std::max<long>(run.max_load, long(members[e].size()));
    experts[e] = memorize_expert(z, members[e], y);
    run.hidden = std::max(run.hidden, int(experts[e].size()));
    run.total_params += long(experts[e].size()) * (m + 2);
  }
  run.active_params = long(K) * m + long(run.hidden) * (m + 2);
  run.total_params += long(K) * m;
  run.theorem = moe_memorization_params(n, K, m);

  models::OneLayerConfig c{.input_dim = m, .m = m, .heads = 1, .hidden = run.hidden, .experts = K};
  models::OneLayer<double> model(c, backend, 0);
  auto& store = model.store();
  std::vector<double> p(store.size(), 0.0);  // unused neurons stay zero: they output nothing
  const auto w = models::one_layer_tensors(c, p.data());
  for (int j = 0; j < m; ++j) w.w_in(j, j) = w.V(j, j) = 1.0;
  for (int e = 0; e < K; ++e)
    for (int j = 0; j < m; ++j) w.router(e, j) = R(e, j);
  for (int e = 0; e < K; ++e)
    for (int r = 0; r < int(experts[e].size()); ++r) {
      for (int j = 0; j < m; ++j) w.W(e, r, j) = experts[e][r].w(j);
      w.b(e, r) = experts[e][r].b;
      w.u(e, r) = experts[e][r].u;
    }
  store.upload(store.params(), p);

  for (int i0 = 0; i0 < n; i0 += 256) {  // the real forward pass decides
    const int B = std::min(256, n - i0);
    model.forward(nullptr, x.data() + size_t(i0) * N * m, nullptr, B, N);
    const auto out = model.outputs();
    for (int i = 0; i < B; ++i) run.memorized += (out[i] > 0) == (y[i0 + i] > 0);
  }
  return run;
}

}  // namespace moesim::proofs
