#include "one_layer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/init.hpp"

namespace moesim::models {

ParamTable one_layer_table(const OneLayerConfig& c) {
  validate(c);
  ParamTable t;
  const int m = c.m, z = c.z_dim(), h = c.hidden, E = c.experts;
  if (c.vocab > 0) {
    t.add("embed", {c.vocab, m});
  } else {
    t.add("w_in", {c.input_dim, m});
  }
  // width: the fan-in that grows with m (AdamW's lr_width); the token table, b and u (fan-in hidden) have none
  for (const char* name : {"Q", "K", "V"}) t.add(name, {m, z}, true, m);
  if (c.moe()) {
    t.add("router", {E, z}, true, z);
    t.add("W", {E, h, z}, true, z);
    t.add("b", {E, h}, false);
    t.add("u", {E, h});
  } else {
    t.add("W", {h, z}, true, z);
    t.add("b", {h}, false);
    t.add("u", {h});
  }
  return t;
}

template <class U>
OneLayerTensors<U> one_layer_tensors(const OneLayerConfig& c, U* base) {
  const ParamTable t = one_layer_table(c);
  const int E = std::max(c.experts, 1), h = c.hidden, z = c.z_dim();
  auto view = [&](const char* name, std::vector<int> shape) {
    for (const auto& v : t.views())
      if (v.name == name) return TensorRef<U>{base ? base + v.offset : nullptr, std::move(shape), name};
    return TensorRef<U>{nullptr, std::move(shape), name};
  };
  return {view("embed", {c.vocab, c.m}), view("w_in", {c.input_dim, c.m}), view("Q", {c.m, z}), view("K", {c.m, z}),
          view("V", {c.m, z}), view("router", {c.experts, z}), view("W", {E, h, z}), view("b", {E, h}),
          view("u", {E, h})};
}

template <class T>
OneLayer<T>::OneLayer(const OneLayerConfig& config, Backend<T>& backend, uint64_t seed)
    : c_(config),
      be_(backend),
      store_(backend, one_layer_table(config)),
      arena_(backend),
      staging_(backend),
      loss_host_(backend, 3) {
  // N(0, 1/fan_in) for the maps, N(0, 1) for a token table; biases 0. Q gets N(0, 1/m^2) instead: with
  // q and k_i of unit entries, the attention scores q . k_i would have variance m, and at m = 20 the
  // softmax would already single out a few tokens (mostly the many identical EMPTY ones) before any
  // training: the model collapses to a constant output at |V| >= 20. Scores of unit variance keep
  // attention near uniform at first, as the dense construction has it. u is 0 with zero_readout.
  std::vector<T> host(store_.size(), T(0));
  uint64_t tensor = 0;
  for (const auto& v : store_.table().views()) {
    double std = 0;
    if (v.name == "embed") std = 1.0;
    if (v.name == "w_in") std = 1.0 / std::sqrt(double(c_.input_dim));
    if (v.name == "K" || v.name == "V") std = 1.0 / std::sqrt(double(c_.m));
    if (v.name == "Q") std = 1.0 / double(c_.m);
    if (v.name == "W" || v.name == "router") std = 1.0 / std::sqrt(double(c_.z_dim()));
    if (v.name == "u" && !c_.zero_readout) std = 1.0 / std::sqrt(double(c_.hidden));
    if (std > 0) fill_normal(host.data() + v.offset, v.size, std, seed, tensor);
    ++tensor;
  }
  store_.upload(store_.params(), host);
  w_ = one_layer_tensors(c_, store_.params());
  dw_ = one_layer_tensors(c_, store_.grads());
}

template <class T>
DispatchShape OneLayer<T>::dispatch_shape() const {
  // Top-1 over psi's input z, one output per expert; the balancing loss at most.
  return {B_, c_.z_dim(), c_.experts, 1, 1, c_.switch_gate ? Gate::Probability : Gate::Hard, c_.balance_coef, 0.0};
}

template <class T>
void OneLayer<T>::plan(int B, int N) {
  if (B == B_ && N == N_) return;
  B_ = B, N_ = N;
  ++plans_;
  const size_t n = size_t(B) * N, m = c_.m, z = c_.z_dim(), h = c_.hidden, H = c_.heads, in = c_.input_dim;
  const size_t keyed = c_.per_token_keys ? n * z : 0;  // per-token keys and values, only on that path
  arena_.build([&](Arena<T>& a) {
    // tokens | labels | x, in this order: one upload brings a batch of either input kind (stage).
    tokens_ = a.template take<int>(n);
    labels_ = a.template take<T>(B);
    x_ = a.template take<T>(n * in);
    last_ = a.template take<int>(B);
    scalars_ = a.template take<double>(3);
    phi_ = a.template take<T>(n * m);
    phi_last_ = a.template take<T>(B * m);
    q_ = a.template take<T>(B * z);
    qt_ = a.template take<T>(B * z);
    u_ = a.template take<T>(B * z);
    keys_ = a.template take<T>(keyed);
    vals_ = a.template take<T>(keyed);
    kh_ = a.template take<T>(keyed);
    vh_ = a.template take<T>(keyed);
    att_ = a.template take<T>(B * H * N);
    z_ = a.template take<T>(B * z);
    out_ = a.template take<T>(B);
    dout_ = a.template take<T>(B);
    losses_ = a.template take<T>(B);
    a_ = a.template take<T>(B * h);
    r_ = a.template take<T>(B * h);
    if (c_.moe()) {
      route_.layout(a, dispatch_shape());
      route_scratch_.layout(a, dispatch_shape());
    }
    dphi_ = a.template take<T>(n * m);
    dq_ = a.template take<T>(B * z);
    dqt_ = a.template take<T>(B * z);
    du_ = a.template take<T>(B * z);
    dkh_ = a.template take<T>(keyed);
    dvh_ = a.template take<T>(keyed);
    dkeys_ = a.template take<T>(keyed);
    dvals_ = a.template take<T>(keyed);
    datt_ = a.template take<T>(B * H * N);
    dphi_last_ = a.template take<T>(B * m);
    dz_ = a.template take<T>(B * z);
    da_ = a.template take<T>(B * h);
  });
  std::vector<int> last(B);
  for (int b = 0; b < B; ++b) last[b] = b * N + N - 1;
  be_.upload(last_, last.data(), B * sizeof(int));
}

// A training batch in one upload: [tokens | labels] for token inputs, [labels | x] for real vectors (the
// arena keeps the three adjacent, staged here in its layout); without labels, the inputs alone.
template <class T>
void OneLayer<T>::stage(const int* tokens, const float* x, const float* labels, int B, int N) {
  if ((c_.vocab > 0) != (tokens != nullptr)) throw std::invalid_argument("OneLayer: wrong input kind");
  plan(B, N);
  if (c_.vocab > 0) x = nullptr;
  const size_t n = size_t(B) * N, xs = n * c_.input_dim;
  // tokens | labels | x in this order: the span runs from the first given to the last (tokens and x never
  // come together).
  void* const first = tokens ? static_cast<void*>(tokens_) : labels ? static_cast<void*>(labels_) : x_;
  const void* const end = x ? static_cast<const void*>(x_ + xs) : labels ? static_cast<const void*>(labels_ + B)
                                                                           : tokens_ + n;
  staging_.begin(first, end);
  if (tokens) staging_.put(tokens_, tokens, n);
  if (labels) staging_.put(labels_, labels, B);
  if (x) staging_.put(x_, x, xs);
  have_labels_ = labels != nullptr;
}

template <class T>
void OneLayer<T>::stage(const Batch& batch) {
  stage(batch.tokens.empty() ? nullptr : batch.tokens.data(), batch.x.empty() ? nullptr : batch.x.data(),
        batch.labels.empty() ? nullptr : batch.labels.data(), batch.B, batch.T);
}

// The masked token's positions score -inf, so the softmax gives them weight 0 and the backward, through
// those zero weights, no gradient: the model computes what it would on the input without them.
template <class T>
void OneLayer<T>::mask_keys() {
  if (c_.masked_token >= 0) be_.mask_tokens(att_, tokens_, c_.masked_token, B_, c_.heads, N_);
}

template <class T>
void OneLayer<T>::attention_forward() {
  const int B = B_, N = N_, n = B * N, m = c_.m, H = c_.heads, z = c_.z_dim();
  const long mat = long(N) * m;
  be_.gather_rows(phi_last_, phi_, last_, B, m);
  be_.gemm(false, false, B, z, m, T(1), phi_last_, m, w_.Q.data, z, T(0), q_, z);  // q (B,H*m)
  if (c_.per_token_keys) {
    // Keys and values of every token: (B,N,H*m) -> (B,H,N,m); scores q.k, then the weighted values.
    be_.gemm(false, false, n, z, m, T(1), phi_, m, w_.K.data, z, T(0), keys_, z);
    be_.gemm(false, false, n, z, m, T(1), phi_, m, w_.V.data, z, T(0), vals_, z);
    be_.to_heads(kh_, keys_, z, B, N, H, m);
    be_.to_heads(vh_, vals_, z, B, N, H, m);
    be_.gemm_batched(false, true, 1, N, m, T(1), q_, m, m, kh_, m, mat, T(0), att_, N, N, B * H);
    mask_keys();
    be_.softmax_forward(att_, B * H, N, T(1), false);
    be_.gemm_batched(false, false, 1, m, N, T(1), att_, N, N, vh_, m, mat, T(0), z_, m, m, B * H);
    return;
  }
  // q~_h = q_h K_h^T, head h's slice of each row: (B,m) x (m,m)^T per head                      (B,H,m)
  be_.gemm_batched(false, true, B, m, m, T(1), q_, z, m, w_.K.data, z, m, T(0), qt_, z, m, H);
  // scores of input b: q~_b (H,m) phi_b^T (m,N); softmax over the N positions                   (B,H,N)
  be_.gemm_batched(false, true, H, N, m, T(1), qt_, m, z, phi_, m, mat, T(0), att_, N, long(H) * N, B);
  mask_keys();
  be_.softmax_forward(att_, B * H, N, T(1), false);
  // u_b = att_b (H,N) phi_b (N,m)                                                                (B,H,m)
  be_.gemm_batched(false, false, H, m, N, T(1), att_, N, long(H) * N, phi_, m, mat, T(0), u_, m, z, B);
  // head h = u_h V_h                                                                             (B,H*m)
  be_.gemm_batched(false, false, B, m, m, T(1), u_, z, m, w_.V.data, z, m, T(0), z_, z, m, H);
}

template <class T>
void OneLayer<T>::attention_backward() {
  const int B = B_, N = N_, n = B * N, m = c_.m, H = c_.heads, z = c_.z_dim();
  const long mat = long(N) * m;
  if (c_.per_token_keys) {
    // z (BH,1,m) = att (BH,1,N) vh (BH,N,m); att = softmax(q kh^T)
    be_.gemm_batched(false, true, 1, N, m, T(1), dz_, m, m, vh_, m, mat, T(0), datt_, N, N, B * H);
    be_.gemm_batched(true, false, N, m, 1, T(1), att_, N, N, dz_, m, m, T(0), dvh_, m, mat, B * H);
    be_.softmax_backward(datt_, datt_, att_, B * H, N, T(1), false);
    be_.gemm_batched(false, false, 1, m, N, T(1), datt_, N, N, kh_, m, mat, T(0), dq_, m, m, B * H);
    be_.gemm_batched(true, false, N, m, 1, T(1), datt_, N, N, q_, m, m, T(0), dkh_, m, mat, B * H);
    be_.from_heads(dkeys_, z, dkh_, B, N, H, m);
    be_.from_heads(dvals_, z, dvh_, B, N, H, m);
    be_.gemm(true, false, m, z, n, T(1), phi_, m, dkeys_, z, T(1), dw_.K.data, z);  // dK += phi^T dkeys
    be_.gemm(true, false, m, z, n, T(1), phi_, m, dvals_, z, T(1), dw_.V.data, z);
    be_.gemm(false, true, n, m, z, T(1), dkeys_, z, w_.K.data, z, T(0), dphi_, m);  // dphi = dkeys K^T
    be_.gemm(false, true, n, m, z, T(1), dvals_, z, w_.V.data, z, T(1), dphi_, m);  //      + dvals V^T
  } else {
    // head h = u_h V_h: dV_h += u_h^T dz_h, du_h = dz_h V_h^T                                    (B,H,m)
    be_.gemm_batched(true, false, m, m, B, T(1), u_, z, m, dz_, z, m, T(1), dw_.V.data, z, m, H);
    be_.gemm_batched(false, true, B, m, m, T(1), dz_, z, m, w_.V.data, z, m, T(0), du_, z, m, H);
    // u_b = att_b phi_b: datt_b = du_b phi_b^T, dphi_b = att_b^T du_b                            (B,H,N)
    be_.gemm_batched(false, true, H, N, m, T(1), du_, m, z, phi_, m, mat, T(0), datt_, N, long(H) * N, B);
    be_.gemm_batched(true, false, N, m, H, T(1), att_, N, long(H) * N, du_, m, z, T(0), dphi_, m, mat, B);
    be_.softmax_backward(datt_, datt_, att_, B * H, N, T(1), false);
    // scores_b = q~_b phi_b^T: dq~_b = dscores_b phi_b, dphi_b += dscores_b^T q~_b
    be_.gemm_batched(false, false, H, m, N, T(1), datt_, N, long(H) * N, phi_, m, mat, T(0), dqt_, m, z, B);
    be_.gemm_batched(true, false, N, m, H, T(1), datt_, N, long(H) * N, qt_, m, z, T(1), dphi_, m, mat, B);
    // q~_h = q_h K_h^T: dq_h = dq~_h K_h, dK_h += dq~_h^T q_h
    be_.gemm_batched(false, false, B, m, m, T(1), dqt_, z, m, w_.K.data, z, m, T(0), dq_, z, m, H);
    be_.gemm_batched(true, false, m, m, B, T(1), dqt_, z, m, q_, z, m, T(1), dw_.K.data, z, m, H);
  }
  be_.gemm(true, false, m, z, B, T(1), phi_last_, m, dq_, z, T(1), dw_.Q.data, z);  // dQ += phi_N^T dq
  be_.gemm(false, true, B, m, z, T(1), dq_, z, w_.Q.data, z, T(0), dphi_last_, m);
  be_.scatter_add_rows(dphi_, dphi_last_, last_, B, m);                              // + the query's
}

template <class T>
double OneLayer<T>::forward(const int* tokens, const float* x, const float* labels, int B, int N) {
  stage(tokens, x, labels, B, N);
  enqueue_forward();
  return staged_loss();
}

template <class T>
void OneLayer<T>::enqueue_forward() {
  const int B = B_, n = B * N_, m = c_.m, z = c_.z_dim(), h = c_.hidden;
  staging_.send();
  if (c_.vocab > 0) {
    be_.embedding_forward(phi_, tokens_, w_.embed.data, n, m);
  } else {
    be_.gemm(false, false, n, m, c_.input_dim, T(1), x_, c_.input_dim, w_.w_in.data, m, T(0), phi_, m);
  }
  attention_forward();
  // psi: expert e's ReLU MLP on rows [r0, r0 + rows) of z (in sorted order for the MoE) -> out (rows,)
  auto psi = [&](int e, int r0, int rows, const T* zs, T* out) {
    T* a = a_ + size_t(r0) * h;
    be_.gemm(false, true, rows, h, z, T(1), zs, z, w_.W.data + size_t(e) * h * z, z, T(0), a, h);
    be_.add_bias(a, w_.b.data + size_t(e) * h, rows, h);
    be_.relu_forward(r_ + size_t(r0) * h, a, size_t(rows) * h);
    be_.gemm(false, false, rows, 1, h, T(1), r_ + size_t(r0) * h, h, w_.u.data + size_t(e) * h, 1, T(0), out, 1);
  };
  be_.zero(out_, B * sizeof(T));
  if (!c_.moe()) {
    psi(0, 0, B, z_, out_);
  } else {
    // The experts' psi as grouped GEMMs over the rows sorted by expert: the offsets stay on the backend. On
    // the CPU each grouped op makes the per-expert calls of psi above, so the bits are the same.
    const int E = c_.experts;
    dispatch_forward<T>(be_, dispatch_shape(), z_, w_.router.data, route_, out_, scalars_,
                        [&](const int* offsets, const T* zs, T* ys) {
                          be_.gemm_grouped(true, h, z, T(1), zs, z, w_.W.data, z, long(h) * z, T(0), a_, h, offsets, E,
                                           B);                                                    // (B,h)
                          be_.add_bias_grouped(a_, w_.b.data, offsets, E, B, h);
                          be_.relu_forward(r_, a_, size_t(B) * h);
                          be_.gemm_grouped(false, 1, h, T(1), r_, h, w_.u.data, 1, h, T(0), ys, 1, offsets, E, B);  // (B,1)
                        });
  }
  if (!have_labels_) return;
  be_.logistic(dout_, losses_, out_, labels_, T(1) / B, B);
  be_.weighted_sum(scalars_ + 2, nullptr, losses_, B);
  // The step's one download: [the auxiliary losses |] the sum of the losses.
  const int first = aux_losses() ? 0 : 2;
  be_.download(loss_host_.data() + first, scalars_ + first, size_t(3 - first) * sizeof(double));
}

template <class T>
bool OneLayer<T>::aux_losses() const {
  return c_.moe() && dispatch_shape().has_aux();
}

template <class T>
double OneLayer<T>::staged_loss() const {
  if (!have_labels_) return 0.0;
  const double logistic = loss_host_[2] / B_;
  return aux_losses() ? logistic + sum_aux_losses(loss_host_.data(), 1) : logistic;
}

template <class T>
void OneLayer<T>::backward() {
  if (!have_labels_) throw std::logic_error("backward() needs a forward() with labels");
  const int B = B_, n = B * N_, m = c_.m, z = c_.z_dim(), h = c_.hidden;
  // psi backward for expert e on rows [r0, r0 + rows): dzs (rows,z) written from dout (rows,) and zs.
  auto psi = [&](int e, int r0, int rows, const T* dout, const T* zs, T* dzs) {
    T *da = da_ + size_t(r0) * h, *r = r_ + size_t(r0) * h;
    const T* W = w_.W.data + size_t(e) * h * z;
    be_.gemm(true, false, h, 1, rows, T(1), r, h, dout, 1, T(1), dw_.u.data + size_t(e) * h, 1);  // du += r^T dout
    be_.gemm(false, true, rows, h, 1, T(1), dout, 1, w_.u.data + size_t(e) * h, 1, T(0), da, h);   // dr = dout u^T
    be_.relu_backward(da, da, a_ + size_t(r0) * h, size_t(rows) * h);
    be_.gemm(true, false, h, z, rows, T(1), da, h, zs, z, T(1), dw_.W.data + size_t(e) * h * z, z);  // dW += da^T z
    be_.bias_backward(dw_.b.data + size_t(e) * h, da, rows, h);
    be_.gemm(false, false, rows, z, h, T(1), da, h, W, z, T(0), dzs, z);  // dz = da W
  };
  if (!c_.moe()) {
    psi(0, 0, B, dout_, z_, dz_);
  } else {
    const int E = c_.experts;
    const long sW = long(h) * z;
    dispatch_backward<T>(be_, dispatch_shape(), dout_, z_, w_.router.data, route_, route_scratch_, dz_, dw_.router.data,
                         [&](const int* offsets, const T* dys, T* dxs) {  // psi's backward above, grouped
                           be_.gemm_grouped_weights(h, 1, T(1), r_, h, dys, 1, T(1), dw_.u.data, 1, h, offsets, E, B);
                           be_.gemm_grouped(true, h, 1, T(1), dys, 1, w_.u.data, 1, h, T(0), da_, h, offsets, E, B);
                           be_.relu_backward(da_, da_, a_, size_t(B) * h);
                           be_.gemm_grouped_weights(h, z, T(1), da_, h, route_.xs, z, T(1), dw_.W.data, z, sW, offsets,
                                                    E, B);
                           be_.bias_backward_grouped(dw_.b.data, da_, offsets, E, B, h);
                           be_.gemm_grouped(false, z, h, T(1), da_, h, w_.W.data, z, sW, T(0), dxs, z, offsets, E, B);
                         });
  }
  attention_backward();
  if (c_.vocab > 0) {
    be_.embedding_backward(dw_.embed.data, dphi_, tokens_, n, m, c_.vocab);
  } else {
    be_.gemm(true, false, c_.input_dim, m, n, T(1), x_, c_.input_dim, dphi_, m, T(1), dw_.w_in.data, m);
  }
}

template <class T>
std::vector<T> OneLayer<T>::outputs() {
  std::vector<T> host(B_);
  be_.download(host.data(), out_, B_ * sizeof(T));
  return host;
}

template <class T>
std::vector<int> OneLayer<T>::chosen_experts() {
  std::vector<int> host(B_, 0);
  if (c_.moe()) be_.download(host.data(), route_.experts, B_ * sizeof(int));
  return host;
}

template <class T>
std::vector<RoutingStats> OneLayer<T>::routing() {
  if (!c_.moe() || B_ == 0) return {};
  return {routing_stats(be_, B_, c_.experts, route_)};
}

template class OneLayer<float>;
template class OneLayer<double>;
template OneLayerTensors<float> one_layer_tensors(const OneLayerConfig&, float*);
template OneLayerTensors<double> one_layer_tensors(const OneLayerConfig&, double*);
template OneLayerTensors<const float> one_layer_tensors(const OneLayerConfig&, const float*);
template OneLayerTensors<const double> one_layer_tensors(const OneLayerConfig&, const double*);

}  // namespace moesim::models
