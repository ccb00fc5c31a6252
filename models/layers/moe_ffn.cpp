#include "moe_ffn.hpp"

namespace moesim::models {

template <class T>
void MoeActs<T>::layout(Arena<T>& a, const MoeShape& s) {
  route.layout(a, s.dispatch());
  ffn.layout(a, s.m(), s.F);
}

template <class T>
void MoeScratch<T>::layout(Arena<T>& a, const MoeShape& s) {
  route.layout(a, s.dispatch());
  ffn.layout(a, s.m(), s.F);
}

template <class T>
double moe_ffn_forward(Backend<T>& be, const MoeShape& s, const T* xn, const T* router, const T* w13,
                       const T* w2, MoeActs<T>& a, T* out) {
  const int d = s.d, F = s.F;
  return dispatch_forward<T>(be, s.dispatch(), xn, router, a.route, out,
                             [&](int e, int r0, int cnt, const T* xs, T* ys) {
                               SwigluActs<T> slice{a.ffn.h + size_t(r0) * 2 * F, a.ffn.g + size_t(r0) * F};
                               be.zero(ys, size_t(cnt) * d * sizeof(T));  // the FFN accumulates into ys
                               swiglu_ffn_forward(be, cnt, d, F, xs, w13 + size_t(e) * 2 * F * d,
                                                  w2 + size_t(e) * d * F, slice, ys);
                             });
}

template <class T>
void moe_ffn_backward(Backend<T>& be, const MoeShape& s, const T* dout, const T* xn, const T* router,
                      const T* w13, const T* w2, const MoeActs<T>& a, MoeScratch<T>& g, T* dxn,
                      T* drouter, T* dw13, T* dw2) {
  const int d = s.d, F = s.F;
  dispatch_backward<T>(be, s.dispatch(), dout, xn, router, a.route, g.route, dxn, drouter,
                       [&](int e, int r0, int cnt, const T* dys, T* dxs) {
                         const SwigluActs<T> slice{a.ffn.h + size_t(r0) * 2 * F, a.ffn.g + size_t(r0) * F};
                         SwigluScratch<T> scratch{g.ffn.dg + size_t(r0) * F, g.ffn.dh + size_t(r0) * 2 * F};
                         swiglu_ffn_backward(be, cnt, d, F, dys, a.route.xs + size_t(r0) * d,
                                             w13 + size_t(e) * 2 * F * d, w2 + size_t(e) * d * F, slice, scratch,
                                             dxs, dw13 + size_t(e) * 2 * F * d, dw2 + size_t(e) * d * F);
                       });
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
