#include "moe_dispatch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace moesim::models {

template <class T>
void DispatchActs<T>::layout(Arena<T>& a, const DispatchShape& s) {
  const size_t n = s.n, m = s.m();
  logits = a.template take<T>(n * s.E);
  probs = a.template take<T>(n * s.E);
  experts = a.template take<int>(m);
  weights = a.template take<T>(m);
  offsets = a.template take<int>(s.E + 1);
  rows = a.template take<int>(m);
  tokens = a.template take<int>(m);
  xs = a.template take<T>(m * s.d);
  ys = a.template take<T>(m * s.out);
  daux_probs = a.template take<T>(n * s.E);
  daux_logits = a.template take<T>(n * s.E);
}

template <class T>
void DispatchScratch<T>::layout(Arena<T>& a, const DispatchShape& s) {
  const size_t m = s.m();
  dys = a.template take<T>(m * s.out);
  dxs = a.template take<T>(m * s.d);
  dweights = a.template take<T>(m);
  dlogits = a.template take<T>(size_t(s.n) * s.E);
}

template <class T>
void dispatch_forward(Backend<T>& be, const DispatchShape& s, const T* x, const T* router, DispatchActs<T>& a,
                      T* out, double* aux, const ExpertForward<T>& expert) {
  const int n = s.n, d = s.d, E = s.E, k = s.k;
  if (s.has_aux() && !aux) throw std::logic_error("dispatch_forward: this shape's auxiliary losses need aux");
  be.gemm(false, true, n, E, d, T(1), x, d, router, d, T(0), a.logits, E);  // (n,E)
  be.router_forward(a.probs, a.experts, a.weights, a.logits, n, E, k, s.gate);
  be.moe_sort(a.offsets, a.rows, a.tokens, a.experts, n, k, E);
  be.gather_rows(a.xs, x, a.tokens, s.m(), d);
  expert(a.offsets, a.xs, a.ys);
  be.combine_forward(out, a.ys, a.weights, a.rows, n, k, s.out);  // out += sum_j w_j y_j
  if (aux) be.zero(aux, 2 * sizeof(double));
  if (s.balance_coef > 0) {
    be.balance_loss(a.daux_probs, aux, a.probs, a.offsets, n, E, k, T(s.balance_coef));
  } else {
    be.zero(a.daux_probs, size_t(n) * E * sizeof(T));
  }
  be.zero(a.daux_logits, size_t(n) * E * sizeof(T));
  if (s.z_coef > 0) be.z_loss(a.daux_logits, aux + 1, a.logits, n, E, T(s.z_coef));
}

double sum_aux_losses(const double* pairs, int layers) {
  double total = 0;
  for (int l = 0; l < layers; ++l) {
    double layer = 0;  // summed as each layer's forward pass once summed them, so the bits stay
    layer += pairs[2 * l];
    layer += pairs[2 * l + 1];
    total += layer;
  }
  return total;
}

template <class T>
void dispatch_backward(Backend<T>& be, const DispatchShape& s, const T* dout, const T* x, const T* router,
                       const DispatchActs<T>& a, DispatchScratch<T>& g, T* dx, T* drouter,
                       const ExpertBackward<T>& expert) {
  const int n = s.n, d = s.d, E = s.E, k = s.k;
  be.combine_backward(g.dys, g.dweights, dout, a.ys, a.weights, a.rows, n, k, s.out);
  expert(a.offsets, g.dys, g.dxs);
  be.zero(dx, size_t(n) * d * sizeof(T));
  be.gather_sum_rows(dx, g.dxs, a.rows, n, k, d);
  be.router_backward(g.dlogits, g.dweights, a.daux_probs, a.probs, a.experts, a.weights, n, E, k, s.gate);
  be.add(g.dlogits, a.daux_logits, size_t(n) * E);
  be.gemm(false, false, n, d, E, T(1), g.dlogits, E, router, d, T(1), dx, d);  // dx += dlogits R
  be.gemm(true, false, E, d, n, T(1), g.dlogits, E, x, d, T(1), drouter, d);   // dR += dlogits^T x
}

namespace {

template <class T>
std::vector<int> offsets_on_host(Backend<T>& be, const int* offsets, int E) {
  std::vector<int> host(E + 1);
  be.download(host.data(), offsets, (E + 1) * sizeof(int));
  return host;
}

}  // namespace

template <class T>
RoutingStats routing_stats(Backend<T>& be, int n, int E, const DispatchActs<T>& a) {
  RoutingStats r;
  const std::vector<int> offsets = offsets_on_host(be, a.offsets, E);
  const double slots = offsets[E];
  r.load.resize(E);
  for (int e = 0; e < E; ++e) r.load[e] = slots > 0 ? (offsets[e + 1] - offsets[e]) / slots : 0.0;
  r.max_over_mean = slots > 0 ? *std::max_element(r.load.begin(), r.load.end()) * E : 0.0;
  std::vector<T> probs(size_t(n) * E);  // (n,E)
  be.download(probs.data(), a.probs, probs.size() * sizeof(T));
  double entropy = 0;
  for (size_t i = 0; i < probs.size(); ++i)
    if (probs[i] > 0) entropy -= double(probs[i]) * std::log(double(probs[i]));
  r.entropy = n > 0 ? entropy / n : 0.0;
  return r;
}

#define MOESIM_INSTANTIATE(T)                                                                                 \
  template struct DispatchActs<T>;                                                                            \
  template struct DispatchScratch<T>;                                                                         \
  template void dispatch_forward<T>(Backend<T>&, const DispatchShape&, const T*, const T*, DispatchActs<T>&,   \
                                    T*, double*, const ExpertForward<T>&);                                   \
  template void dispatch_backward<T>(Backend<T>&, const DispatchShape&, const T*, const T*, const T*,         \
                                     const DispatchActs<T>&, DispatchScratch<T>&, T*, T*, const ExpertBackward<T>&); \
  template RoutingStats routing_stats<T>(Backend<T>&, int, int, const DispatchActs<T>&);
MOESIM_INSTANTIATE(float)
MOESIM_INSTANTIATE(double)
#undef MOESIM_INSTANTIATE

}  // namespace moesim::models
