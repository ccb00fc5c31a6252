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

// The SwiGLU FFN of swiglu_ffn.cpp, each GEMM grouped over the experts (expert e's rows use its w13_e
// (2F,d) and w2_e (d,F)); the elementwise steps run on all rows at once.
template <class T>
void moe_ffn_forward(Backend<T>& be, const MoeShape& s, const T* xn, const T* router, const T* w13,
                     const T* w2, MoeActs<T>& a, T* out, double* aux) {
  const int d = s.d, F = s.F, E = s.E, m = s.m();
  dispatch_forward<T>(be, s.dispatch(), xn, router, a.route, out, aux, [&](const int* offsets, const T* xs, T* ys) {
    be.gemm_grouped(true, 2 * F, d, T(1), xs, d, w13, d, 2L * F * d, T(0), a.ffn.h, 2 * F, offsets, E, m);  // (m,2F)
    be.swiglu_forward(a.ffn.g, a.ffn.h, m, F);                                                              // (m,F)
    be.zero(ys, size_t(m) * d * sizeof(T));  // accumulated into, as the dense FFN accumulates into its output
    be.gemm_grouped(true, d, F, T(1), a.ffn.g, F, w2, F, long(d) * F, T(1), ys, d, offsets, E, m);         // (m,d)
  });
}

template <class T>
void moe_ffn_backward(Backend<T>& be, const MoeShape& s, const T* dout, const T* xn, const T* router,
                      const T* w13, const T* w2, const MoeActs<T>& a, MoeScratch<T>& g, T* dxn,
                      T* drouter, T* dw13, T* dw2) {
  const int d = s.d, F = s.F, E = s.E, m = s.m();
  dispatch_backward<T>(be, s.dispatch(), dout, xn, router, a.route, g.route, dxn, drouter,
                       [&](const int* offsets, const T* dys, T* dxs) {
                         const long s13 = 2L * F * d, s2 = long(d) * F;
                         // dg = dys W2_e, dW2_e += dys^T g
                         be.gemm_grouped(false, F, d, T(1), dys, d, w2, F, s2, T(0), g.ffn.dg, F, offsets, E, m);
                         be.gemm_grouped_weights(d, F, T(1), dys, d, a.ffn.g, F, T(1), dw2, F, s2, offsets, E, m);
                         be.swiglu_backward(g.ffn.dh, g.ffn.dg, a.ffn.h, m, F);
                         // dxs = dh W13_e, dW13_e += dh^T xs
                         be.gemm_grouped(false, d, 2 * F, T(1), g.ffn.dh, 2 * F, w13, d, s13, T(0), dxs, d, offsets,
                                         E, m);
                         be.gemm_grouped_weights(2 * F, d, T(1), g.ffn.dh, 2 * F, a.route.xs, d, T(1), dw13, d, s13,
                                                 offsets, E, m);
                       });
}

#define MOESIM_INSTANTIATE(T)                                                                         \
  template struct MoeActs<T>;                                                                         \
  template struct MoeScratch<T>;                                                                      \
  template void moe_ffn_forward<T>(Backend<T>&, const MoeShape&, const T*, const T*, const T*,       \
                                   const T*, MoeActs<T>&, T*, double*);                               \
  template void moe_ffn_backward<T>(Backend<T>&, const MoeShape&, const T*, const T*, const T*,      \
                                    const T*, const T*, const MoeActs<T>&, MoeScratch<T>&, T*, T*,    \
                                    T*, T*);
MOESIM_INSTANTIATE(float)
MOESIM_INSTANTIATE(double)
#undef MOESIM_INSTANTIATE

}  // namespace moesim::models
