#pragma once
// The MoE feed-forward layer: a linear router, softmax, token-choice top-k, no token dropping. Tokens are
// sorted by expert (counting sort), each expert runs the SwiGLU FFN on its contiguous rows with its slice
// of the stacked weights w13 (E,2F,d) and w2 (E,d,F), and the outputs are combined with the gate weights.
#include <vector>

#include "models/arena.hpp"
#include "models/layers/swiglu_ffn.hpp"

namespace moesim::models {

struct MoeShape {
  int n, d, F, E, k;
  Gate gate;
  double balance_coef, z_coef;
  int m() const { return n * k; }  // routed rows
};

template <class T>
struct MoeActs {
  T* logits;             // (n,E) router logits
  T* probs;              // (n,E)
  int* experts;          // (n,k)
  T* weights;            // (n,k) gate weights
  int* offsets;          // (E+1) into the sorted rows
  int* rows;             // (n*k) sorted row of slot (t, j)
  int* tokens;           // (n*k) token of sorted row r
  T* xs;                 // (n*k,d) inputs sorted by expert
  SwigluActs<T> ffn;     // over the n*k sorted rows
  T* ys;                 // (n*k,d) expert outputs
  T* daux_probs;         // (n,E) gradient of the balancing loss w.r.t. probs
  T* daux_logits;        // (n,E) gradient of the z-loss w.r.t. logits
  std::vector<int> host_offsets;  // (E+1)
  void layout(Arena<T>& a, const MoeShape& s);
};

template <class T>
struct MoeScratch {
  T *dys, *dxs, *dweights, *dlogits;
  SwigluScratch<T> ffn;
  void layout(Arena<T>& a, const MoeShape& s);
};

// out (n,d) += moe(xn); returns the auxiliary loss (balancing + z-loss) of this layer.
template <class T>
double moe_ffn_forward(Backend<T>& be, const MoeShape& s, const T* xn, const T* router, const T* w13,
                       const T* w2, MoeActs<T>& a, T* out);

// dxn (n,d) written; drouter, dw13, dw2 accumulate. Includes the auxiliary losses' gradients.
template <class T>
void moe_ffn_backward(Backend<T>& be, const MoeShape& s, const T* dout, const T* xn, const T* router,
                      const T* w13, const T* w2, const MoeActs<T>& a, MoeScratch<T>& g, T* dxn,
                      T* drouter, T* dw13, T* dw2);

}  // namespace moesim::models
