#include "transformer.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/init.hpp"

namespace moesim::models {

namespace {

std::string block_prefix(int l) {  // "L3." (built by appends: GCC 12 warns falsely on "L" + string)
  std::string p = "L";
  p += std::to_string(l);
  p += '.';
  return p;
}

}  // namespace

ParamTable transformer_table(const TransformerConfig& c) {
  validate(c);
  ParamTable t;
  const int d = c.d, F = c.hidden(), E = c.experts;
  t.add("embed", {c.vocab, d});
  for (int l = 0; l < c.layers; ++l) {
    const std::string L = block_prefix(l);
    t.add(L + "attn_norm", {d}, false);
    t.add(L + "qkv", {3 * d, d});
    t.add(L + "proj", {d, d});
    t.add(L + "ffn_norm", {d}, false);
    if (c.moe()) {
      t.add(L + "router", {E, d});
      t.add(L + "w13", {E, 2 * F, d});
      t.add(L + "w2", {E, d, F});
    } else {
      t.add(L + "w13", {2 * F, d});
      t.add(L + "w2", {d, F});
    }
  }
  t.add("final_norm", {d}, false);
  t.add("head", {c.vocab, d});
  return t;
}

template <class T>
Transformer<T>::Transformer(const TransformerConfig& config, Backend<T>& backend, uint64_t seed)
    : c_(config),
      be_(backend),
      store_(backend, transformer_table(config)),
      arena_(backend),
      staging_(backend),
      loss_host_(backend, size_t(2) * config.layers + 1) {
  // GPT-2 style: N(0, 0.02), the projections into the residual stream scaled by 1/sqrt(2L); norms 1.
  std::vector<T> host(store_.size());
  uint64_t tensor = 0;
  for (const auto& v : store_.table().views()) {
    T* dst = host.data() + v.offset;
    const bool norm = v.name.find("norm") != std::string::npos;
    const bool residual = v.name.ends_with(".proj") || v.name.ends_with(".w2");
    if (norm) {
      std::fill(dst, dst + v.size, T(1));
    } else {
      fill_normal(dst, v.size, residual ? 0.02 / std::sqrt(2.0 * c_.layers) : 0.02, seed, tensor);
    }
    ++tensor;
  }
  store_.upload(store_.params(), host);
  w_ = resolve(store_.params());
  dw_ = resolve(store_.grads());
}

template <class T>
typename Transformer<T>::Weights Transformer<T>::resolve(T* base) const {
  const ParamTable& t = store_.table();
  auto at = [&](const std::string& name) { return base + t[name].offset; };
  Weights w{at("embed"), at("final_norm"), at("head"), {}};
  for (int l = 0; l < c_.layers; ++l) {
    const std::string P = block_prefix(l);
    w.blocks.push_back({at(P + "attn_norm"), at(P + "qkv"), at(P + "proj"), at(P + "ffn_norm"),
                        c_.moe() ? at(P + "router") : nullptr, at(P + "w13"), at(P + "w2")});
  }
  return w;
}

template <class T>
AttentionShape Transformer<T>::attention_shape() const {
  return {B_, T_, c_.d, c_.heads, c_.causal, c_.rope_base, be_.fused_attention(c_.d / c_.heads)};
}

template <class T>
MoeShape Transformer<T>::moe_shape() const {
  return {B_ * T_, c_.d, c_.hidden(), c_.experts, c_.top_k,
          c_.renormalize ? Gate::Renormalized : Gate::Probability, c_.balance_coef, c_.z_coef};
}

template <class T>
void Transformer<T>::plan(int B, int T_len) {
  if (B == B_ && T_len == T_) return;
  B_ = B, T_ = T_len;
  ++plans_;
  const size_t n = size_t(B) * T_len, d = c_.d, V = c_.vocab;
  const int F = c_.hidden();
  layers_.assign(c_.layers, Layer{});
  arena_.build([&](Arena<T>& a) {
    tokens_ = a.template take<int>(n);
    targets_ = a.template take<int>(n);
    weights_ = a.template take<T>(n);
    for (auto& L : layers_) {
      L.res_in = a.template take<T>(n * d);
      L.res_mid = a.template take<T>(n * d);
      L.xn1 = a.template take<T>(n * d);
      L.rstd1 = a.template take<T>(n);
      L.xn2 = a.template take<T>(n * d);
      L.rstd2 = a.template take<T>(n);
      L.attn.layout(a, attention_shape());
      if (c_.moe()) {
        L.moe.layout(a, moe_shape());
      } else {
        L.ffn.layout(a, int(n), F);
      }
    }
    res_out_ = a.template take<T>(n * d);
    xnf_ = a.template take<T>(n * d);
    rstdf_ = a.template take<T>(n);
    logits_ = a.template take<T>(n * V);
    dlogits_ = a.template take<T>(n * V);
    losses_ = a.template take<T>(n);
    scalars_ = a.template take<double>(size_t(2) * c_.layers + 1);
    dres_ = a.template take<T>(n * d);
    dxn_ = a.template take<T>(n * d);
    attn_scratch_.layout(a, attention_shape());
    if (c_.moe()) {
      moe_scratch_.layout(a, moe_shape());
    } else {
      ffn_scratch_.layout(a, int(n), F);
    }
  });
}

template <class T>
LossParts Transformer<T>::forward(const int* tokens, const int* targets, const float* weights, int B,
                                  int T_len) {
  stage(tokens, targets, weights, B, T_len);
  enqueue_forward();
  return staged_parts();
}

// tokens_, targets_ and weights_ follow each other in the arena, so one upload brings a training batch
// (staged on the host in the arena's layout); an evaluation brings the tokens alone.
template <class T>
void Transformer<T>::stage(const int* tokens, const int* targets, const float* weights, int B, int T_len) {
  if (B < 1 || T_len < 1 || T_len > c_.max_len)
    throw std::invalid_argument("sequence length " + std::to_string(T_len) + " outside [1, max_len=" +
                                std::to_string(c_.max_len) + "]");
  plan(B, T_len);
  const int n = B * T_len;
  have_targets_ = targets != nullptr;
  staging_.begin(tokens_, have_targets_ ? static_cast<const void*>(weights_ + n) : tokens_ + n);
  staging_.put(tokens_, tokens, n);
  if (!have_targets_) return;
  staging_.put(targets_, targets, n);
  staging_.put(weights_, weights, n);
}

template <class T>
void Transformer<T>::stage(const Batch& batch) {
  const bool loss = !batch.targets.empty();
  stage(batch.tokens.data(), loss ? batch.targets.data() : nullptr, loss ? batch.weights.data() : nullptr, batch.B,
        batch.T);
}

template <class T>
void Transformer<T>::enqueue_forward() {
  const int n = B_ * T_, d = c_.d, V = c_.vocab, F = c_.hidden();
  const T eps = T(c_.norm_eps);
  staging_.send();
  be_.embedding_forward(layers_[0].res_in, tokens_, w_.embed, n, d);
  for (int l = 0; l < c_.layers; ++l) {
    Layer& L = layers_[l];
    const auto& W = w_.blocks[l];
    T* res_out = l + 1 < c_.layers ? layers_[l + 1].res_in : res_out_;
    be_.rmsnorm_forward(L.xn1, L.rstd1, L.res_in, W.attn_norm, n, d, eps);
    be_.copy(L.res_mid, L.res_in, size_t(n) * d * sizeof(T));
    attention_forward(be_, attention_shape(), L.xn1, W.qkv, W.proj, L.attn, L.res_mid);
    be_.rmsnorm_forward(L.xn2, L.rstd2, L.res_mid, W.ffn_norm, n, d, eps);
    be_.copy(res_out, L.res_mid, size_t(n) * d * sizeof(T));
    if (c_.moe()) {
      moe_ffn_forward(be_, moe_shape(), L.xn2, W.router, W.w13, W.w2, L.moe, res_out, scalars_ + 2 * l);
    } else {
      swiglu_ffn_forward(be_, n, d, F, L.xn2, W.w13, W.w2, L.ffn, res_out);
    }
  }
  be_.rmsnorm_forward(xnf_, rstdf_, res_out_, w_.final_norm, n, d, eps);
  be_.gemm(false, true, n, V, d, T(1), xnf_, d, w_.head, d, T(0), logits_, V);  // (n,V)
  const int ce_slot = 2 * c_.layers;
  if (have_targets_) {
    be_.cross_entropy(dlogits_, losses_, logits_, targets_, weights_, n, V);
    be_.weighted_sum(scalars_ + ce_slot, weights_, losses_, n);
  }
  // The step's one download: the slots in use of [the MoE layers' auxiliary losses | the cross-entropy sum].
  const int first = c_.moe() ? 0 : ce_slot, end = have_targets_ ? ce_slot + 1 : ce_slot;
  if (first < end)
    be_.download(loss_host_.data() + first, scalars_ + first, size_t(end - first) * sizeof(double));
}

template <class T>
LossParts Transformer<T>::staged_parts() const {
  LossParts loss;
  if (c_.moe()) loss.aux = sum_aux_losses(loss_host_.data(), c_.layers);
  if (have_targets_) loss.ce = loss_host_[2 * c_.layers];
  return loss;
}

template <class T>
void Transformer<T>::backward() {
  if (!have_targets_) throw std::logic_error("backward() needs a forward() with targets");
  const int n = B_ * T_, d = c_.d, V = c_.vocab, F = c_.hidden();
  be_.zero(dres_, size_t(n) * d * sizeof(T));
  be_.gemm(false, false, n, d, V, T(1), dlogits_, V, w_.head, d, T(0), dxn_, d);  // dxn = dlogits W
  be_.gemm(true, false, V, d, n, T(1), dlogits_, V, xnf_, d, T(1), dw_.head, d);  // dW += dlogits^T xn
  be_.rmsnorm_backward(dres_, dw_.final_norm, dxn_, res_out_, w_.final_norm, rstdf_, n, d);
  for (int l = c_.layers - 1; l >= 0; --l) {
    Layer& L = layers_[l];
    const auto &W = w_.blocks[l], &G = dw_.blocks[l];
    if (c_.moe()) {
      moe_ffn_backward(be_, moe_shape(), dres_, L.xn2, W.router, W.w13, W.w2, L.moe, moe_scratch_, dxn_,
                       G.router, G.w13, G.w2);
    } else {
      swiglu_ffn_backward(be_, n, d, F, dres_, L.xn2, W.w13, W.w2, L.ffn, ffn_scratch_, dxn_, G.w13, G.w2);
    }
    be_.rmsnorm_backward(dres_, G.ffn_norm, dxn_, L.res_mid, W.ffn_norm, L.rstd2, n, d);
    attention_backward(be_, attention_shape(), dres_, L.xn1, W.qkv, W.proj, L.attn, attn_scratch_, dxn_,
                       G.qkv, G.proj);
    be_.rmsnorm_backward(dres_, G.attn_norm, dxn_, L.res_in, W.attn_norm, L.rstd1, n, d);
  }
  be_.embedding_backward(dw_.embed, dres_, tokens_, n, d, c_.vocab);
}

template <class T>
std::vector<T> Transformer<T>::logits() {
  std::vector<T> host(size_t(B_) * T_ * c_.vocab);
  be_.download(host.data(), logits_, host.size() * sizeof(T));
  return host;
}

template <class T>
std::vector<RoutingStats> Transformer<T>::routing() {
  std::vector<RoutingStats> out;
  if (!c_.moe() || B_ == 0) return out;
  for (const auto& l : layers_) out.push_back(routing_stats(be_, B_ * T_, c_.experts, l.moe.route));
  return out;
}

template class Transformer<float>;
template class Transformer<double>;

}  // namespace moesim::models
