#pragma once
// Token-choice top-k routing without token dropping, shared by every MoE layer: a linear router,
// softmax, top-k, a stable counting sort of the (token, slot) pairs by expert, a gather of the inputs
// into contiguous rows per expert, the layer's own experts on all those rows at once, and the
// gate-weighted combine. The expert offsets stay where the backend computes: the Transformer's MoE FFN
// runs its SwiGLU experts (out = d) and the one-layer model its psi (a ReLU MLP with one output, out = 1) as
// grouped ops that read them there.
#include <functional>
#include <vector>

#include "models/arena.hpp"
#include "models/model.hpp"

namespace moesim::models {

struct DispatchShape {
  int n, d, E, k;  // tokens, input width, experts, experts per token
  int out;         // width of an expert's output
  Gate gate;
  // Auxiliary losses. Under the hard gate they are the router's only gradient (the one-layer model's
  // balancing loss; the Transformer has no hard gate).
  double balance_coef, z_coef;
  int m() const { return n * k; }  // routed rows
  bool has_aux() const { return balance_coef > 0 || z_coef > 0; }
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
  void layout(Arena<T>& a, const DispatchShape& s);
};

template <class T>
struct DispatchScratch {
  T *dys, *dxs, *dweights, *dlogits;  // (n*k,out), (n*k,d), (n*k), (n,E)
  void layout(Arena<T>& a, const DispatchShape& s);
};

// The experts on every routed row: ys (n*k,out) written from xs (n*k,d), rows offsets[e] .. offsets[e+1]
// to expert e (offsets (E+1): the backend's memory).
template <class T>
using ExpertForward = std::function<void(const int* offsets, const T* xs, T* ys)>;
// Their backward: dxs (n*k,d) written from dys (n*k,out); the experts' weight gradients accumulate.
template <class T>
using ExpertBackward = std::function<void(const int* offsets, const T* dys, T* dxs)>;

// out (n,out) += sum_j w_j expert_{e_j}(x). The auxiliary losses go to aux (2,) [balancing, z-loss] (0 where not
// computed), backend memory: they stay on the device, so the forward pass waits for no download. aux may be
// null where the shape has none (!s.has_aux()).
template <class T>
void dispatch_forward(Backend<T>& be, const DispatchShape& s, const T* x, const T* router, DispatchActs<T>& a,
                      T* out, double* aux, const ExpertForward<T>& expert);

// The auxiliary loss of `layers` layers from their pairs (layers,2), brought to the host: summed per layer,
// then over the layers.
double sum_aux_losses(const double* pairs, int layers);

// dx (n,d) written; drouter accumulates; the auxiliary losses' gradients included.
template <class T>
void dispatch_backward(Backend<T>& be, const DispatchShape& s, const T* dout, const T* x, const T* router,
                       const DispatchActs<T>& a, DispatchScratch<T>& g, T* dx, T* drouter,
                       const ExpertBackward<T>& expert);

// The routing statistics of the last dispatch_forward over n tokens and E experts (model.hpp).
template <class T>
RoutingStats routing_stats(Backend<T>& be, int n, int E, const DispatchActs<T>& a);

}  // namespace moesim::models
