#pragma once
// The one-layer theory model (docs/claims.md: the model):
//   phi = embedding of each token (a table, or x W_in for real vectors)          (B,N,m)
//   head_h = softmax(phi_N Q_h (phi K_h)^T) phi V_h  — only the last token queries (B,H,m)
//          = (a^T phi) V_h with a = softmax(phi q~_h), q~_h = K_h (phi_N Q_h)^T: the keys folded into the
//            query, so no token's key or value is formed: O(N m + m^2) per head instead of O(N m^2)
//          (with a masked token, e.g. length-2's EMPTY, its positions left out of the softmax)
//   z = concat_h head_h                                                          (B,H*m)
//   psi(z) = u^T ReLU(W z + b)  (dense)  or  the top-1 expert's, times its router probability
//   for the Switch gate (the MoE runs through the Transformer's dispatch, layers/moe_dispatch.hpp)  (B,)
// Loss: logistic on labels y in {-1, +1}, averaged over the batch; for a MoE with balance_coef > 0, plus
// the router's load-balancing loss.
#include <cstdint>
#include <vector>

#include "models/arena.hpp"
#include "models/config.hpp"
#include "models/host_array.hpp"
#include "models/layers/moe_dispatch.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"
#include "models/tensor_ref.hpp"
#include "models/upload_staging.hpp"

namespace moesim::models {

// Tensors: "embed" (vocab,m) or "w_in" (input_dim,m); "Q", "K", "V" (m, H*m) with head h in columns
// [h*m, (h+1)*m); dense "W" (hidden,H*m), "b" (hidden), "u" (hidden); MoE "router" (E,H*m), "W"
// (E,hidden,H*m), "b" (E,hidden), "u" (E,hidden).
ParamTable one_layer_table(const OneLayerConfig& c);

// The tensors as named views into a buffer of this layout: the parameters, the gradients, or a host copy
// of either. psi's W (E',hidden,H*m), b (E',hidden) and u (E',hidden) always carry the expert axis: the
// dense psi is expert 0 of E' = 1. A tensor the model does not have (embed or w_in; router) has no data.
template <class U>
struct OneLayerTensors {
  TensorRef<U> embed, w_in, Q, K, V, router, W, b, u;
};
template <class U>
OneLayerTensors<U> one_layer_tensors(const OneLayerConfig& c, U* base);

template <class T>
class OneLayer : public Model<T> {
 public:
  OneLayer(const OneLayerConfig& config, Backend<T>& backend, uint64_t seed);

  const OneLayerConfig& config() const { return c_; }
  ParamStore<T>& store() override { return store_; }

  // inputs: tokens (B,N) for token models, or x (B,N,input_dim) for real-vector models; labels (B) in
  // {-1,+1} or null (outputs only). Returns the mean logistic loss, the balancing loss added (0 without
  // labels).
  double forward(const int* tokens, const float* x, const float* labels, int B, int N);
  using Model<T>::forward;
  void stage(const Batch& batch) override;
  void enqueue_forward() override;
  double staged_loss() const override;
  long layout() const override { return 2 * (plans_ + staging_.moves()) + have_labels_; }
  void backward() override;
  std::vector<T> outputs() override;  // (B,) the logits psi(z)
  std::vector<int> chosen_experts();  // (B,) the expert each input was routed to (MoE)
  std::vector<RoutingStats> routing() override;  // the MoE's one router, over the batch's inputs

 private:
  void plan(int B, int N);
  void stage(const int* tokens, const float* x, const float* labels, int B, int N);
  DispatchShape dispatch_shape() const;
  bool aux_losses() const;  // a MoE with a balancing loss: its forward pass computes and downloads it
  void mask_keys();           // the masked token's scores in att_ -> -inf
  void attention_forward();   // phi -> z_
  void attention_backward();  // dz_ -> dphi_ (written) and the Q, K, V gradients

  OneLayerConfig c_;
  Backend<T>& be_;
  ParamStore<T> store_;
  Arena<T> arena_;
  OneLayerTensors<T> w_, dw_;  // parameters and their gradients, in the backend's memory
  int B_ = 0, N_ = 0;
  long plans_ = 0;  // arena layouts so far
  bool have_labels_ = false;
  // activations
  int *tokens_, *last_;   // (B,N), (B,) row index of each sequence's last token
  T *x_, *phi_, *phi_last_, *q_, *att_, *z_;
  T *qt_, *u_;                       // folded queries q~ (B,H,m), attention-weighted inputs a^T phi (B,H,m)
  T *keys_, *vals_, *kh_, *vh_;      // per_token_keys: keys and values of every token (B,N,H*m), by head
  T *labels_, *out_, *dout_, *losses_;
  double* scalars_;  // (3,) on the backend: [balancing loss | z-loss (unused) | sum of the batch's losses]
  UploadStaging<T> staging_;        // the host side of the batch's upload
  HostArray<T, double> loss_host_;  // (3,) where scalars_ is downloaded
  T *a_, *r_;                  // psi: pre-activation and ReLU (rows, hidden), rows = B (sorted by expert for the MoE)
  DispatchActs<T> route_;      // MoE: router, sort, psi's inputs z and outputs per sorted row
  DispatchScratch<T> route_scratch_;
  // backward scratch
  T *dphi_, *dq_, *datt_, *dphi_last_, *dz_, *da_;
  T *dqt_, *du_;                     // (B,H,m)
  T *dkh_, *dvh_, *dkeys_, *dvals_;  // per_token_keys
};

}  // namespace moesim::models
