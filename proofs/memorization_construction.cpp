#include "memorization_construction.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <vector>

#include "models/init.hpp"
#include "models/one_layer.hpp"

namespace moesim::proofs {

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

  // Router: K random directions; route each sample to its argmax (ties: the lower index).
  Eigen::MatrixXd R(K, m);
  for (int e = 0; e < K; ++e)
    for (int j = 0; j < m; ++j) R(e, j) = models::normal_at(seed, 2, size_t(e) * m + j);
  std::vector<std::vector<int>> members(K);
  for (int i = 0; i < n; ++i) {
    Eigen::Index best;
    (R * z.row(i).transpose()).maxCoeff(&best);
    members[best].push_back(i);
  }
  MemorizationRun run{.samples = n, .experts = K, .width = m};
  for (const auto& s : members) run.max_load = std::max<long>(run.max_load, long(s.size()));
  const int hidden = int(std::max<long>(run.max_load, 1));

  models::OneLayerConfig c{.input_dim = m, .m = m, .heads = 1, .hidden = hidden, .experts = K};
  models::OneLayer<double> model(c, backend, 0);
  auto& store = model.store();
  const auto& table = store.table();
  std::vector<double> p(store.size(), 0.0);
  for (int j = 0; j < m; ++j) {
    p[table["w_in"].offset + size_t(j) * m + j] = 1.0;
    p[table["V"].offset + size_t(j) * m + j] = 1.0;
  }
  for (int e = 0; e < K; ++e)
    for (int j = 0; j < m; ++j) p[table["router"].offset + size_t(e) * m + j] = R(e, j);
  for (int e = 0; e < K; ++e) {
    const int ne = int(members[e].size());
    if (ne == 0) continue;
    // ne neurons, one per sample: neuron r points at its sample (w_r = z_r, b_r = -|z_r|^2 / 2), so it
    // fires on z_r and on few others: the feature matrix is near-diagonal and well conditioned. Then u
    // solves ReLU(Z W^T + b) u = y exactly.
    Eigen::MatrixXd W(ne, m);
    Eigen::VectorXd b(ne), target(ne);
    for (int r = 0; r < ne; ++r) {
      W.row(r) = z.row(members[e][r]);
      b(r) = -0.5 * z.row(members[e][r]).squaredNorm();
    }
    Eigen::MatrixXd features(ne, ne);
    for (int s = 0; s < ne; ++s) {
      features.row(s) = ((W * z.row(members[e][s]).transpose()) + b).cwiseMax(0.0).transpose();
      target(s) = y[members[e][s]];
    }
    const Eigen::VectorXd u = features.colPivHouseholderQr().solve(target);
    for (int r = 0; r < ne; ++r) {
      for (int j = 0; j < m; ++j) p[table["W"].offset + (size_t(e) * hidden + r) * m + j] = W(r, j);
      p[table["b"].offset + size_t(e) * hidden + r] = b(r);
      p[table["u"].offset + size_t(e) * hidden + r] = u(r);
    }
    run.total_params += long(ne) * (m + 2);
  }
  run.active_params = long(K) * m + run.max_load * (m + 2);
  run.total_params += long(K) * m;
  run.theorem = moe_memorization_params(n, K, m);
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
