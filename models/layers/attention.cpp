#include "attention.hpp"

#include <cmath>

namespace moesim::models {

template <class T>
void AttentionActs<T>::layout(Arena<T>& a, const AttentionShape& s) {
  const size_t n = size_t(s.B) * s.T;
  qkv = a.template take<T>(n * 3 * s.d);
  q = a.template take<T>(n * s.d);
  k = a.template take<T>(n * s.d);
  v = a.template take<T>(n * s.d);
  att = s.fused ? nullptr : a.template take<T>(size_t(s.B) * s.H * s.T * s.T);
  lse = s.fused ? a.template take<T>(size_t(s.B) * s.H * s.T) : nullptr;
  yh = a.template take<T>(n * s.d);
  y = a.template take<T>(n * s.d);
}

template <class T>
void AttentionScratch<T>::layout(Arena<T>& a, const AttentionShape& s) {
  const size_t n = size_t(s.B) * s.T;
  dy = a.template take<T>(n * s.d);
  dyh = a.template take<T>(n * s.d);
  datt = s.fused ? nullptr : a.template take<T>(size_t(s.B) * s.H * s.T * s.T);
  dq = a.template take<T>(n * s.d);
  dk = a.template take<T>(n * s.d);
  dv = a.template take<T>(n * s.d);
  dqkv = a.template take<T>(n * 3 * s.d);
}

template <class T>
void attention_forward(Backend<T>& be, const AttentionShape& s, const T* xn, const T* w_qkv,
                       const T* w_proj, AttentionActs<T>& a, T* out) {
  const int n = s.B * s.T, d = s.d, hd = s.hd(), BH = s.B * s.H;
  const long mat = long(s.T) * hd, sq = long(s.T) * s.T;
  be.gemm(false, true, n, 3 * d, d, T(1), xn, d, w_qkv, d, T(0), a.qkv, 3 * d);  // (n,3d)
  be.to_heads(a.q, a.qkv, 3 * d, s.B, s.T, s.H, hd);
  be.to_heads(a.k, a.qkv + d, 3 * d, s.B, s.T, s.H, hd);
  be.to_heads(a.v, a.qkv + 2 * d, 3 * d, s.B, s.T, s.H, hd);
  be.rope(a.q, BH, s.T, hd, T(s.rope_base), +1);
  be.rope(a.k, BH, s.T, hd, T(s.rope_base), +1);
  const T scale = T(1 / std::sqrt(double(hd)));
  if (s.fused) {
    be.attention_forward(a.yh, a.lse, a.q, a.k, a.v, BH, s.T, hd, scale, s.causal);
  } else {
    // scores (BH,T,T) = q k^T, then softmax(scores / sqrt(hd)) in place
    be.gemm_batched(false, true, s.T, s.T, hd, T(1), a.q, hd, mat, a.k, hd, mat, T(0), a.att, s.T, sq, BH);
    be.softmax_forward(a.att, BH * s.T, s.T, scale, s.causal);
    be.gemm_batched(false, false, s.T, hd, s.T, T(1), a.att, s.T, sq, a.v, hd, mat, T(0), a.yh, hd, mat, BH);
  }
  be.from_heads(a.y, d, a.yh, s.B, s.T, s.H, hd);
  be.gemm(false, true, n, d, d, T(1), a.y, d, w_proj, d, T(1), out, d);  // out += y W_proj^T
}

template <class T>
void attention_backward(Backend<T>& be, const AttentionShape& s, const T* dout, const T* xn,
                        const T* w_qkv, const T* w_proj, const AttentionActs<T>& a,
                        AttentionScratch<T>& g, T* dxn, T* dw_qkv, T* dw_proj) {
  const int n = s.B * s.T, d = s.d, hd = s.hd(), BH = s.B * s.H;
  const long mat = long(s.T) * hd, sq = long(s.T) * s.T;
  be.gemm(false, false, n, d, d, T(1), dout, d, w_proj, d, T(0), g.dy, d);    // dy = dout W_proj
  be.gemm(true, false, d, d, n, T(1), dout, d, a.y, d, T(1), dw_proj, d);     // dW_proj += dout^T y
  be.to_heads(g.dyh, g.dy, d, s.B, s.T, s.H, hd);
  const T scale = T(1 / std::sqrt(double(hd)));
  if (s.fused) {
    be.attention_backward(g.dq, g.dk, g.dv, g.dyh, a.yh, a.lse, a.q, a.k, a.v, BH, s.T, hd, scale, s.causal);
  } else {
    // yh = att v: datt = dyh v^T, dv = att^T dyh
    be.gemm_batched(false, true, s.T, s.T, hd, T(1), g.dyh, hd, mat, a.v, hd, mat, T(0), g.datt, s.T, sq, BH);
    be.gemm_batched(true, false, s.T, hd, s.T, T(1), a.att, s.T, sq, g.dyh, hd, mat, T(0), g.dv, hd, mat, BH);
    be.softmax_backward(g.datt, g.datt, a.att, BH * s.T, s.T, scale, s.causal);
    // scores = q k^T: dq = dscores k, dk = dscores^T q
    be.gemm_batched(false, false, s.T, hd, s.T, T(1), g.datt, s.T, sq, a.k, hd, mat, T(0), g.dq, hd, mat, BH);
    be.gemm_batched(true, false, s.T, hd, s.T, T(1), g.datt, s.T, sq, a.q, hd, mat, T(0), g.dk, hd, mat, BH);
  }
  be.rope(g.dq, BH, s.T, hd, T(s.rope_base), -1);  // RoPE is a rotation: its transpose rotates back
  be.rope(g.dk, BH, s.T, hd, T(s.rope_base), -1);
  be.from_heads(g.dqkv, 3 * d, g.dq, s.B, s.T, s.H, hd);
  be.from_heads(g.dqkv + d, 3 * d, g.dk, s.B, s.T, s.H, hd);
  be.from_heads(g.dqkv + 2 * d, 3 * d, g.dv, s.B, s.T, s.H, hd);
  be.gemm(false, false, n, d, 3 * d, T(1), g.dqkv, 3 * d, w_qkv, d, T(0), dxn, d);  // dxn = dqkv W_qkv
  be.gemm(true, false, 3 * d, d, n, T(1), g.dqkv, 3 * d, xn, d, T(1), dw_qkv, d);   // dW_qkv += dqkv^T xn
}

#define MOESIM_INSTANTIATE(T)                                                                            \
  template struct AttentionActs<T>;                                                                      \
  template struct AttentionScratch<T>;                                                                   \
  template void attention_forward<T>(Backend<T>&, const AttentionShape&, const T*, const T*, const T*,  \
                                     AttentionActs<T>&, T*);                                             \
  template void attention_backward<T>(Backend<T>&, const AttentionShape&, const T*, const T*, const T*, \
                                      const T*, const AttentionActs<T>&, AttentionScratch<T>&, T*, T*,  \
                                      T*);
MOESIM_INSTANTIATE(float)
MOESIM_INSTANTIATE(double)
#undef MOESIM_INSTANTIATE

}  // namespace moesim::models
