#pragma once
// The MoE feed-forward layer: the shared top-k dispatch (moe_dispatch.hpp) with SwiGLU experts. Each
// expert runs the SwiGLU FFN on its contiguous rows with its slice of the stacked weights w13 (E,2F,d)
// and w2 (E,d,F).
#include "models/layers/moe_dispatch.hpp"
#include "models/layers/swiglu_ffn.hpp"

namespace moesim::models {

struct MoeShape {
  int n, d, F, E, k;
  Gate gate;
  double balance_coef, z_coef;
  int m() const { return n * k; }  // routed rows
  DispatchShape dispatch() const { return {n, d, E, k, d, gate, balance_coef, z_coef}; }
};

template <class T>
struct MoeActs {
  DispatchActs<T> route;  // router, sort and the experts' inputs and outputs
  SwigluActs<T> ffn;      // over the n*k sorted rows
  void layout(Arena<T>& a, const MoeShape& s);
};

template <class T>
struct MoeScratch {
  DispatchScratch<T> route;
  SwigluScratch<T> ffn;
  void layout(Arena<T>& a, const MoeShape& s);
};

// out (n,d) += moe(xn); this layer's auxiliary losses to aux (2,) [balancing, z-loss], backend memory
// (dispatch_forward; sum_aux_losses adds them up on the host).
template <class T>
void moe_ffn_forward(Backend<T>& be, const MoeShape& s, const T* xn, const T* router, const T* w13,
                     const T* w2, MoeActs<T>& a, T* out, double* aux);

// dxn (n,d) written; drouter, dw13, dw2 accumulate. Includes the auxiliary losses' gradients.
template <class T>
void moe_ffn_backward(Backend<T>& be, const MoeShape& s, const T* dout, const T* xn, const T* router,
                      const T* w13, const T* w2, const MoeActs<T>& a, MoeScratch<T>& g, T* dxn,
                      T* drouter, T* dw13, T* dw2);

}  // namespace moesim::models
