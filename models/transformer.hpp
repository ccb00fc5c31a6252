#pragma once
// The Transformer family: token embedding, L blocks of pre-RMSNorm -> multi-head attention with RoPE ->
// residual -> pre-RMSNorm -> FFN (dense SwiGLU or MoE) -> residual, final RMSNorm, untied output head.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/arena.hpp"
#include "models/config.hpp"
#include "models/host_array.hpp"
#include "models/layers/attention.hpp"
#include "models/layers/moe_ffn.hpp"
#include "models/layers/swiglu_ffn.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"
#include "models/upload_staging.hpp"

namespace moesim::models {

// The parameter layout of a config: names "embed", "L<i>.attn_norm", "L<i>.qkv", "L<i>.proj",
// "L<i>.ffn_norm", "L<i>.w13", "L<i>.w2", "L<i>.router" (MoE), "final_norm", "head".
ParamTable transformer_table(const TransformerConfig& c);

struct LossParts {
  double ce = 0;   // sum_i weight_i * cross-entropy_i over the positions
  double aux = 0;  // MoE balancing + z-losses, summed over layers
  double total() const { return ce + aux; }
};

template <class T>
class Transformer : public Model<T> {
 public:
  Transformer(const TransformerConfig& config, Backend<T>& backend, uint64_t seed);

  const TransformerConfig& config() const { return c_; }
  ParamStore<T>& store() override { return store_; }
  Backend<T>& backend() { return be_; }

  // tokens (B,T) on the host. With targets (B,T) and weights (B,T) (the weight of each position's loss;
  // 0 leaves it out) the loss and its gradient w.r.t. the logits are computed too; without, only logits.
  LossParts forward(const int* tokens, const int* targets, const float* weights, int B, int T_len);
  using Model<T>::forward;  // forward(batch): the total loss
  void stage(const Batch& batch) override;
  void enqueue_forward() override;
  double staged_loss() const override { return have_targets_ ? staged_parts().total() : 0.0; }
  long layout() const override { return 2 * (plans_ + staging_.moves()) + have_targets_; }
  // Accumulates the gradient of the last forward's loss into store().grads().
  void backward() override;
  // Logits of the last forward, (B,T,V), on the host.
  std::vector<T> logits();
  std::vector<T> outputs() override { return logits(); }
  std::vector<RoutingStats> routing() override;  // per MoE layer, over every position of the batch
  size_t activation_bytes() const { return arena_.bytes(); }

 private:
  struct Layer {
    T *res_in, *res_mid, *xn1, *rstd1, *xn2, *rstd2;
    AttentionActs<T> attn;
    SwigluActs<T> ffn;
    MoeActs<T> moe;
  };
  void plan(int B, int T_len);
  void stage(const int* tokens, const int* targets, const float* weights, int B, int T_len);
  LossParts staged_parts() const;
  AttentionShape attention_shape() const;
  MoeShape moe_shape() const;
  // Pointers into the parameter (or gradient) buffer, resolved once from the table.
  struct Weights {
    T *embed, *final_norm, *head;
    struct Block {
      T *attn_norm, *qkv, *proj, *ffn_norm, *router, *w13, *w2;
    };
    std::vector<Block> blocks;
  };
  Weights resolve(T* base) const;

  TransformerConfig c_;
  Backend<T>& be_;
  ParamStore<T> store_;
  Arena<T> arena_;
  Weights w_, dw_;  // parameters and their gradients
  int B_ = 0, T_ = 0;
  long plans_ = 0;  // arena layouts so far
  bool have_targets_ = false;
  // activations, (n = B*T)
  int *tokens_, *targets_;
  T *weights_, *res_out_, *xnf_, *rstdf_, *logits_, *dlogits_, *losses_;
  // (layers,2) each MoE layer's [balancing, z-loss], then the cross-entropy sum: on the backend, downloaded once
  double* scalars_;
  UploadStaging<T> staging_;        // the host side of the batch's upload
  HostArray<T, double> loss_host_;  // where scalars_ is downloaded
  std::vector<Layer> layers_;
  // backward scratch
  T *dres_, *dxn_;
  AttentionScratch<T> attn_scratch_;
  SwigluScratch<T> ffn_scratch_;
  MoeScratch<T> moe_scratch_;
};

}  // namespace moesim::models
