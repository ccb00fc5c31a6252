#pragma once
// The dense SwiGLU feed-forward layer: out = (silu(x W1^T) * (x W3^T)) W2^T, with W1 and W3 stacked
// as w13 (2F,d) so one GEMM computes both.
#include "models/arena.hpp"

namespace moesim::models {

template <class T>
struct SwigluActs {
  T* h;  // (n,2F) = xn w13^T
  T* g;  // (n,F)  = silu(h1) * h3
  void layout(Arena<T>& a, int n, int F);
};

template <class T>
struct SwigluScratch {
  T *dg, *dh;  // (n,F), (n,2F)
  void layout(Arena<T>& a, int n, int F);
};

// out (n,d) += ffn(xn)
template <class T>
void swiglu_ffn_forward(Backend<T>& be, int n, int d, int F, const T* xn, const T* w13, const T* w2,
                        SwigluActs<T>& a, T* out);

// dxn (n,d) written; dw13, dw2 accumulate
template <class T>
void swiglu_ffn_backward(Backend<T>& be, int n, int d, int F, const T* dout, const T* xn, const T* w13,
                         const T* w2, const SwigluActs<T>& a, SwigluScratch<T>& g, T* dxn, T* dw13,
                         T* dw2);

}  // namespace moesim::models
