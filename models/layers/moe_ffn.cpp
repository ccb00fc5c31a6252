#include "moe_ffn.hpp"

namespace moesim::models {

template <class T>
void MoeActs<T>::layout(Arena<T>& a, const MoeShape& s) {
  const size_t n = s.n, m = s.m();
  logits = a.template take<T>(n * s.E);
  probs = a.template take<T>(n * s.E);
  experts = a.template take<int>(m);
  weights = a.template take<T>(m);
  offsets = a.template take<int>(s.E + 1);
  rows = a.template take<int>(m);
  tokens = a.template take<int>(m);
  xs = a.template take<T>(m * s.d);
  ffn.layout(a, s.m(), s.F);
  ys = a.template take<T>(m * s.d);
  daux_probs = a.template take<T>(n * s.E);
  daux_logits = a.template take<T>(n * s.E);
  host_offsets.assign(s.E + 1, 0);
}

template <class T>
void MoeScratch<T>::layout(Arena<T>& a, const MoeShape& s) {
  const size_t m = s.m();
  dys = a.template take<T>(m * s.d);
  dxs = a.template take<T>(m * s.d);
  dweights = a.template take<T>(m);
  dlogits = a.template take<T>(size_t(s.n) * s.E);
  ffn.layout(a, s.m(), s.F);
}

template <class T>
double moe_ffn_forward(Backend<T>& be, const MoeShape& s, const T* xn, const T* router, const T* w13,
                       const T* w2, MoeActs<T>& a, T* out) {
  const int n = s.n, d = s.d, F = s.F, E = s.E, k = s.k;
  be.gemm(false, true, n, E, d, T(1), xn, d, router, d, T(0), a.logits, E);  // (n,E)
  be.router_forward(a.probs, a.experts, a.weights, a.logits, n, E, k, s.gate);
  be.moe_sort(a.offsets, a.rows, a.tokens, a.experts, n, k, E);
  be.download(a.host_offsets.data(), a.offsets, (E + 1) * sizeof(int));
  be.gather_rows(a.xs, xn, a.tokens, s.m(), d);
  for (int e = 0; e < E; ++e) {  // one SwiGLU per expert over its contiguous rows
    const int r0 = a.host_offsets[e], cnt = a.host_offsets[e + 1] - r0;
    SwigluActs<T> slice{a.ffn.h + size_t(r0) * 2 * F, a.ffn.g + size_t(r0) * F};
    T* ys = a.ys + size_t(r0) * d;
    be.zero(ys, size_t(cnt) * d * sizeof(T));
    swiglu_ffn_forward(be, cnt, d, F, a.xs + size_t(r0) * d, w13 + size_t(e) * 2 * F * d,
                       w2 + size_t(e) * d * F, slice, ys);
  }
  be.combine_forward(out, a.ys, a.weights, a.rows, n, k, d);  // out += sum_j w_j y_j
  double aux = 0;
  if (s.gate != Gate::Hard && s.balance_coef > 0) {
    aux += be.balance_loss(a.daux_probs, a.probs, a.offsets, n, E, k, T(s.balance_coef));
  } else {
    be.zero(a.daux_probs, size_t(n) * E * sizeof(T));
  }
  be.zero(a.daux_logits, size_t(n) * E * sizeof(T));
  if (s.gate != Gate::Hard && s.z_coef > 0) aux += be.z_loss(a.daux_logits, a.logits, n, E, T(s.z_coef));
  return aux;
}

template <class T>
void moe_ffn_backward(Backend<T>& be, const MoeShape& s, const T* dout, const T* xn, const T* router,
                      const T* w13, const T* w2, const MoeActs<T>& a, MoeScratch<T>& g, T* dxn,
                      T* drouter, T* dw13, T* dw2) {
  const int n = s.n, d = s.d, F = s.F, E = s.E, k = s.k;
  be.combine_backward(g.dys, g.dweights, dout, a.ys, a.weights, a.rows, n, k, d);
  for (int e = 0; e < E; ++e) {
    const int r0 = a.host_offsets[e], cnt = a.host_offsets[e + 1] - r0;
    const SwigluActs<T> slice{a.ffn.h + size_t(r0) * 2 * F, a.ffn.g + size_t(r0) * F};
    SwigluScratch<T> scratch{g.ffn.dg + size_t(r0) * F, g.ffn.dh + size_t(r0) * 2 * F};
    swiglu_ffn_backward(be, cnt, d, F, g.dys + size_t(r0) * d, a.xs + size_t(r0) * d,
                        w13 + size_t(e) * 2 * F * d, w2 + size_t(e) * d * F, slice, scratch,
                        g.dxs + size_t(r0) * d, dw13 + size_t(e) * 2 * F * d, dw2 + size_t(e) * d * F);
  }
  be.zero(dxn, size_t(n) * d * sizeof(T));
  be.gather_sum_rows(dxn, g.dxs, a.rows, n, k, d);
  be.router_backward(g.dlogits, g.dweights, a.daux_probs, a.probs, a.experts, a.weights, n, E, k, s.gate);
  be.add(g.dlogits, a.daux_logits, size_t(n) * E);
  be.gemm(false, false, n, d, E, T(1), g.dlogits, E, router, d, T(1), dxn, d);  // dxn += dlogits R
  be.gemm(true, false, E, d, n, T(1), g.dlogits, E, xn, d, T(1), drouter, d);   // dR += dlogits^T xn
}

#define MOESIM_INSTANTIATE(T)                                                                         \
  template struct MoeActs<T>;                                                                         \
  template struct MoeScratch<T>;                                                                      \
  template double moe_ffn_forward<T>(Backend<T>&, const MoeShape&, const T*, const T*, const T*,     \
                                     const T*, MoeActs<T>&, T*);                                      \
  template void moe_ffn_backward<T>(Backend<T>&, const MoeShape&, const T*, const T*, const T*,      \
                                    const T*, const T*, const MoeActs<T>&, MoeScratch<T>&, T*, T*,    \
                                    T*, T*);
MOESIM_INSTANTIATE(float)
MOESIM_INSTANTIATE(double)
#undef MOESIM_INSTANTIATE

}  // namespace moesim::models
