#include "one_layer.hpp"

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
  for (const char* name : {"Q", "K", "V"}) t.add(name, {m, z});
  if (c.moe()) {
    t.add("router", {E, z});
    t.add("W", {E, h, z});
    t.add("b", {E, h}, false);
    t.add("u", {E, h});
  } else {
    t.add("W", {h, z});
    t.add("b", {h}, false);
    t.add("u", {h});
  }
  return t;
}

template <class T>
OneLayer<T>::OneLayer(const OneLayerConfig& config, Backend<T>& backend, uint64_t seed)
    : c_(config), be_(backend), store_(backend, one_layer_table(config)), arena_(backend) {
  // N(0, 1/fan_in) for the maps, N(0, 1) for a token table; biases 0.
  std::vector<T> host(store_.size(), T(0));
  uint64_t tensor = 0;
  for (const auto& v : store_.table().views()) {
    double std = 0;
    if (v.name == "embed") std = 1.0;
    if (v.name == "w_in") std = 1.0 / std::sqrt(double(c_.input_dim));
    if (v.name == "Q" || v.name == "K" || v.name == "V") std = 1.0 / std::sqrt(double(c_.m));
    if (v.name == "W" || v.name == "router") std = 1.0 / std::sqrt(double(c_.z_dim()));
    if (v.name == "u") std = 1.0 / std::sqrt(double(c_.hidden));
    if (std > 0) fill_normal(host.data() + v.offset, v.size, std, seed, tensor);
    ++tensor;
  }
  store_.upload(store_.params(), host);
}

template <class T>
void OneLayer<T>::plan(int B, int N) {
  if (B == B_ && N == N_) return;
  B_ = B, N_ = N;
  const size_t n = size_t(B) * N, m = c_.m, z = c_.z_dim(), h = c_.hidden, H = c_.heads;
  const size_t E = std::max(c_.experts, 1), in = c_.input_dim;
  arena_.build([&](Arena<T>& a) {
    tokens_ = a.template take<int>(n);
    last_ = a.template take<int>(B);
    x_ = a.template take<T>(n * in);
    phi_ = a.template take<T>(n * m);
    phi_last_ = a.template take<T>(B * m);
    q_ = a.template take<T>(B * z);
    keys_ = a.template take<T>(n * z);
    vals_ = a.template take<T>(n * z);
    kh_ = a.template take<T>(n * z);
    vh_ = a.template take<T>(n * z);
    att_ = a.template take<T>(B * H * N);
    z_ = a.template take<T>(B * z);
    labels_ = a.template take<T>(B);
    out_ = a.template take<T>(B);
    dout_ = a.template take<T>(B);
    losses_ = a.template take<T>(B);
    a_ = a.template take<T>(B * h);
    r_ = a.template take<T>(B * h);
    o_ = a.template take<T>(B);
    logits_ = a.template take<T>(B * E);
    probs_ = a.template take<T>(B * E);
    weights_ = a.template take<T>(B);
    zs_ = a.template take<T>(B * z);
    experts_ = a.template take<int>(B);
    offsets_ = a.template take<int>(E + 1);
    rows_ = a.template take<int>(B);
    order_ = a.template take<int>(B);
    dphi_ = a.template take<T>(n * m);
    dq_ = a.template take<T>(B * z);
    dkh_ = a.template take<T>(n * z);
    dvh_ = a.template take<T>(n * z);
    datt_ = a.template take<T>(B * H * N);
    dkeys_ = a.template take<T>(n * z);
    dvals_ = a.template take<T>(n * z);
    dphi_last_ = a.template take<T>(B * m);
    dz_ = a.template take<T>(B * z);
    dzs_ = a.template take<T>(B * z);
    da_ = a.template take<T>(B * h);
    do_ = a.template take<T>(B);
    dweights_ = a.template take<T>(B);
    dlogits_ = a.template take<T>(B * E);
  });
  std::vector<int> last(B);
  for (int b = 0; b < B; ++b) last[b] = b * N + N - 1;
  be_.upload(last_, last.data(), B * sizeof(int));
  host_offsets_.assign(E + 1, 0);
}

template <class T>
double OneLayer<T>::forward(const int* tokens, const float* x, const float* labels, int B, int N) {
  if ((c_.vocab > 0) != (tokens != nullptr)) throw std::invalid_argument("OneLayer: wrong input kind");
  plan(B, N);
  const int n = B * N, m = c_.m, H = c_.heads, z = c_.z_dim(), h = c_.hidden;
  if (c_.vocab > 0) {
    be_.upload(tokens_, tokens, n * sizeof(int));
    be_.embedding_forward(phi_, tokens_, p("embed"), n, m);
  } else {
    std::vector<T> xs(x, x + size_t(n) * c_.input_dim);
    be_.upload(x_, xs.data(), xs.size() * sizeof(T));
    be_.gemm(false, false, n, m, c_.input_dim, T(1), x_, c_.input_dim, p("w_in"), m, T(0), phi_, m);
  }
  // Attention of the last token over all N: q (B,H,m), keys/values (B,N,H*m) -> (B,H,N,m)
  be_.gather_rows(phi_last_, phi_, last_, B, m);
  be_.gemm(false, false, B, z, m, T(1), phi_last_, m, p("Q"), z, T(0), q_, z);
  be_.gemm(false, false, n, z, m, T(1), phi_, m, p("K"), z, T(0), keys_, z);
  be_.gemm(false, false, n, z, m, T(1), phi_, m, p("V"), z, T(0), vals_, z);
  be_.to_heads(kh_, keys_, z, B, N, H, m);
  be_.to_heads(vh_, vals_, z, B, N, H, m);
  const long mat = long(N) * m;
  be_.gemm_batched(false, true, 1, N, m, T(1), q_, m, m, kh_, m, mat, T(0), att_, N, N, B * H);
  be_.softmax_forward(att_, B * H, N, T(1), false);
  be_.gemm_batched(false, false, 1, m, N, T(1), att_, N, N, vh_, m, mat, T(0), z_, m, m, B * H);
  // psi
  be_.zero(out_, B * sizeof(T));
  if (!c_.moe()) {
    be_.gemm(false, true, B, h, z, T(1), z_, z, p("W"), z, T(0), a_, h);
    be_.add_bias(a_, p("b"), B, h);
    be_.relu_forward(r_, a_, size_t(B) * h);
    be_.gemm(false, false, B, 1, h, T(1), r_, h, p("u"), 1, T(0), out_, 1);
  } else {
    const int E = c_.experts;
    const Gate gate = c_.switch_gate ? Gate::Probability : Gate::Hard;
    be_.gemm(false, true, B, E, z, T(1), z_, z, p("router"), z, T(0), logits_, E);
    be_.router_forward(probs_, experts_, weights_, logits_, B, E, 1, gate);
    be_.moe_sort(offsets_, rows_, order_, experts_, B, 1, E);
    be_.download(host_offsets_.data(), offsets_, (E + 1) * sizeof(int));
    be_.gather_rows(zs_, z_, order_, B, z);
    for (int e = 0; e < E; ++e) {
      const int r0 = host_offsets_[e], cnt = host_offsets_[e + 1] - r0;
      if (cnt == 0) continue;
      T* a = a_ + size_t(r0) * h;
      be_.gemm(false, true, cnt, h, z, T(1), zs_ + size_t(r0) * z, z, p("W") + size_t(e) * h * z, z, T(0), a, h);
      be_.add_bias(a, p("b") + size_t(e) * h, cnt, h);
      be_.relu_forward(r_ + size_t(r0) * h, a, size_t(cnt) * h);
      be_.gemm(false, false, cnt, 1, h, T(1), r_ + size_t(r0) * h, h, p("u") + size_t(e) * h, 1, T(0),
               o_ + r0, 1);
    }
    be_.combine_forward(out_, o_, weights_, rows_, B, 1, 1);
  }
  have_labels_ = labels != nullptr;
  if (!have_labels_) return 0;
  std::vector<T> y(labels, labels + B);
  be_.upload(labels_, y.data(), B * sizeof(T));
  be_.logistic(dout_, losses_, out_, labels_, T(1) / B, B);
  std::vector<T> losses(B);
  be_.download(losses.data(), losses_, B * sizeof(T));
  double loss = 0;
  for (T l : losses) loss += double(l);
  return loss / B;
}

template <class T>
void OneLayer<T>::backward() {
  if (!have_labels_) throw std::logic_error("backward() needs a forward() with labels");
  const int B = B_, N = N_, n = B * N, m = c_.m, H = c_.heads, z = c_.z_dim(), h = c_.hidden;
  // psi backward -> dz (B,z)
  if (!c_.moe()) {
    be_.gemm(true, false, h, 1, B, T(1), r_, h, dout_, 1, T(1), g("u"), 1);       // du += r^T dout
    be_.gemm(false, true, B, h, 1, T(1), dout_, 1, p("u"), 1, T(0), da_, h);       // dr = dout u^T
    be_.relu_backward(da_, da_, a_, size_t(B) * h);
    be_.gemm(true, false, h, z, B, T(1), da_, h, z_, z, T(1), g("W"), z);          // dW += da^T z
    be_.bias_backward(g("b"), da_, B, h);
    be_.gemm(false, false, B, z, h, T(1), da_, h, p("W"), z, T(0), dz_, z);        // dz = da W
  } else {
    const int E = c_.experts;
    const Gate gate = c_.switch_gate ? Gate::Probability : Gate::Hard;
    be_.combine_backward(do_, dweights_, dout_, o_, weights_, rows_, B, 1, 1);
    for (int e = 0; e < E; ++e) {
      const int r0 = host_offsets_[e], cnt = host_offsets_[e + 1] - r0;
      if (cnt == 0) continue;
      T *da = da_ + size_t(r0) * h, *r = r_ + size_t(r0) * h;
      be_.gemm(true, false, h, 1, cnt, T(1), r, h, do_ + r0, 1, T(1), g("u") + size_t(e) * h, 1);
      be_.gemm(false, true, cnt, h, 1, T(1), do_ + r0, 1, p("u") + size_t(e) * h, 1, T(0), da, h);
      be_.relu_backward(da, da, a_ + size_t(r0) * h, size_t(cnt) * h);
      be_.gemm(true, false, h, z, cnt, T(1), da, h, zs_ + size_t(r0) * z, z, T(1), g("W") + size_t(e) * h * z, z);
      be_.bias_backward(g("b") + size_t(e) * h, da, cnt, h);
      be_.gemm(false, false, cnt, z, h, T(1), da, h, p("W") + size_t(e) * h * z, z, T(0), dzs_ + size_t(r0) * z, z);
    }
    be_.zero(dz_, size_t(B) * z * sizeof(T));
    be_.gather_sum_rows(dz_, dzs_, rows_, B, 1, z);
    be_.router_backward(dlogits_, dweights_, nullptr, probs_, experts_, weights_, B, E, 1, gate);
    be_.gemm(false, false, B, z, E, T(1), dlogits_, E, p("router"), z, T(1), dz_, z);
    be_.gemm(true, false, E, z, B, T(1), dlogits_, E, z_, z, T(1), g("router"), z);
  }
  // attention backward: z (BH,1,m) = att (BH,1,N) vh (BH,N,m); att = softmax(q kh^T)
  const long mat = long(N) * m;
  be_.gemm_batched(false, true, 1, N, m, T(1), dz_, m, m, vh_, m, mat, T(0), datt_, N, N, B * H);
  be_.gemm_batched(true, false, N, m, 1, T(1), att_, N, N, dz_, m, m, T(0), dvh_, m, mat, B * H);
  be_.softmax_backward(datt_, datt_, att_, B * H, N, T(1), false);
  be_.gemm_batched(false, false, 1, m, N, T(1), datt_, N, N, kh_, m, mat, T(0), dq_, m, m, B * H);
  be_.gemm_batched(true, false, N, m, 1, T(1), datt_, N, N, q_, m, m, T(0), dkh_, m, mat, B * H);
  be_.from_heads(dkeys_, z, dkh_, B, N, H, m);
  be_.from_heads(dvals_, z, dvh_, B, N, H, m);
  be_.gemm(true, false, m, z, n, T(1), phi_, m, dkeys_, z, T(1), g("K"), z);          // dK += phi^T dkeys
  be_.gemm(true, false, m, z, n, T(1), phi_, m, dvals_, z, T(1), g("V"), z);
  be_.gemm(true, false, m, z, B, T(1), phi_last_, m, dq_, z, T(1), g("Q"), z);
  be_.gemm(false, true, n, m, z, T(1), dkeys_, z, p("K"), z, T(0), dphi_, m);         // dphi = dkeys K^T
  be_.gemm(false, true, n, m, z, T(1), dvals_, z, p("V"), z, T(1), dphi_, m);         //      + dvals V^T
  be_.gemm(false, true, B, m, z, T(1), dq_, z, p("Q"), z, T(0), dphi_last_, m);
  be_.scatter_add_rows(dphi_, dphi_last_, last_, B, m);                               // + the query's
  if (c_.vocab > 0) {
    be_.embedding_backward(g("embed"), dphi_, tokens_, n, m, c_.vocab);
  } else {
    be_.gemm(true, false, c_.input_dim, m, n, T(1), x_, c_.input_dim, dphi_, m, T(1), g("w_in"), m);
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
  if (c_.moe()) be_.download(host.data(), experts_, B_ * sizeof(int));
  return host;
}

template class OneLayer<float>;
template class OneLayer<double>;

}  // namespace moesim::models
