#pragma once
// Token-choice top-k routing without token dropping, shared by every MoE layer: a linear router,
// softmax, top-k, a stable counting sort of the (token, slot) pairs by expert, a gather of the inputs
// into contiguous rows per expert, one call of the layer's own expert function per expert on its rows,
// and the gate-weighted combine. The Transformer's MoE FFN plugs in SwiGLU experts (out = d); the
// one-layer model plugs in psi's ReLU MLP with one output (out = 1).
#include <functional>
#include <vector>

#include "models/arena.hpp"
#include "models/model.hpp"

namespace moesim::models {

struct DispatchShape {
  int n, d, E, k;  // tokens, input width, experts, experts per token
  int out;         // width of an expert's output
  Gate gate;
  double balance_coef, z_coef;  // auxiliary losses (never with the hard gate)
  int m() const { return n * k; }  // routed rows
};

template <class T>
struct DispatchActs {
  T* logits;        // (n,E) router logits
  T* probs;         // (n,E)
  int* experts;     // (n,k)
  T* weights;       // (n,k) gate weights
  int* offsets;     // (E+1) into the sorted rows
  int* rows;        // (n*k) sorted row of slot (t, j)
  int* tokens;      // (n*k) token of sorted row r
  T* xs;            // (n*k,d) inputs sorted by expert
  T* ys;            // (n*k,out) expert outputs
  T* daux_probs;    // (n,E) gradient of the balancing loss w.r.t. probs
  T* daux_logits;   // (n,E) gradient of the z-loss w.r.t. logits
  std::vector<int> host_offsets;  // (E+1)
  void layout(Arena<T>& a, const DispatchShape& s);
};

template <class T>
struct DispatchScratch {
  T *dys, *dxs, *dweights, *dlogits;  // (n*k,out), (n*k,d), (n*k), (n,E)
  void layout(Arena<T>& a, const DispatchShape& s);
};

// Expert e on its rows [r0, r0 + cnt) of the sorted order: ys (cnt,out) written from xs (cnt,d).
template <class T>
using ExpertForward = std::function<void(int e, int r0, int cnt, const T* xs, T* ys)>;
// Its backward: dxs (cnt,d) written from dys (cnt,out); the expert's weight gradients accumulate.
template <class T>
using ExpertBackward = std::function<void(int e, int r0, int cnt, const T* dys, T* dxs)>;

// out (n,out) += sum_j w_j expert_{e_j}(x); returns the auxiliary loss (balancing + z-loss).
template <class T>
double dispatch_forward(Backend<T>& be, const DispatchShape& s, const T* x, const T* router, DispatchActs<T>& a,
                        T* out, const ExpertForward<T>& expert);

// dx (n,d) written; drouter accumulates; the auxiliary losses' gradients included.
template <class T>
void dispatch_backward(Backend<T>& be, const DispatchShape& s, const T* dout, const T* x, const T* router,
                       const DispatchActs<T>& a, DispatchScratch<T>& g, T* dx, T* drouter,
                       const ExpertBackward<T>& expert);

// The routing statistics of the last dispatch_forward over n tokens and E experts (model.hpp).
template <class T>
RoutingStats routing_stats(Backend<T>& be, int n, int E, const DispatchActs<T>& a);

}  // namespace moesim::models
