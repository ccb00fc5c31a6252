#include "swiglu_ffn.hpp"

namespace moesim::models {

template <class T>
void SwigluActs<T>::layout(Arena<T>& a, int n, int F) {
  h = a.template take<T>(size_t(n) * 2 * F);
  g = a.template take<T>(size_t(n) * F);
}

template <class T>
void SwigluScratch<T>::layout(Arena<T>& a, int n, int F) {
  dg = a.template take<T>(size_t(n) * F);
  dh = a.template take<T>(size_t(n) * 2 * F);
}

template <class T>
void swiglu_ffn_forward(Backend<T>& be, int n, int d, int F, const T* xn, const T* w13, const T* w2,
                        SwigluActs<T>& a, T* out) {
  if (n == 0) return;
  be.gemm(false, true, n, 2 * F, d, T(1), xn, d, w13, d, T(0), a.h, 2 * F);
  be.swiglu_forward(a.g, a.h, n, F);
  be.gemm(false, true, n, d, F, T(1), a.g, F, w2, F, T(1), out, d);
}

template <class T>
void swiglu_ffn_backward(Backend<T>& be, int n, int d, int F, const T* dout, const T* xn, const T* w13,
                         const T* w2, const SwigluActs<T>& a, SwigluScratch<T>& g, T* dxn, T* dw13,
                         T* dw2) {
  if (n == 0) return;
  be.gemm(false, false, n, F, d, T(1), dout, d, w2, F, T(0), g.dg, F);         // dg = dout W2
  be.gemm(true, false, d, F, n, T(1), dout, d, a.g, F, T(1), dw2, F);          // dW2 += dout^T g
  be.swiglu_backward(g.dh, g.dg, a.h, n, F);
  be.gemm(false, false, n, d, 2 * F, T(1), g.dh, 2 * F, w13, d, T(0), dxn, d);  // dxn = dh w13
  be.gemm(true, false, 2 * F, d, n, T(1), g.dh, 2 * F, xn, d, T(1), dw13, d);   // dw13 += dh^T xn
}

#define MOESIM_INSTANTIATE(T)                                                                          \
  template struct SwigluActs<T>;                                                                       \
  template struct SwigluScratch<T>;                                                                    \
  template void swiglu_ffn_forward<T>(Backend<T>&, int, int, int, const T*, const T*, const T*,       \
                                      SwigluActs<T>&, T*);                                             \
  template void swiglu_ffn_backward<T>(Backend<T>&, int, int, int, const T*, const T*, const T*,      \
                                       const T*, const SwigluActs<T>&, SwigluScratch<T>&, T*, T*, T*);
MOESIM_INSTANTIATE(float)
MOESIM_INSTANTIATE(double)
#undef MOESIM_INSTANTIATE

}  // namespace moesim::models
