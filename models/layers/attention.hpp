#pragma once
// Multi-head self-attention with RoPE, causal or bidirectional: x (B,T,d) -> out (B,T,d).
#include "models/arena.hpp"

namespace moesim::models {

struct AttentionShape {
  int B, T, d, H;
  bool causal;
  double rope_base;
  bool fused = false;  // Backend::attention_forward/backward instead of the materialised (T,T) scores
  int hd() const { return d / H; }
};

template <class T>
struct AttentionActs {
  T* qkv;  // (B,T,3d)
  T* q;    // (B,H,T,hd), after RoPE
  T* k;    // (B,H,T,hd), after RoPE
  T* v;    // (B,H,T,hd)
  T* att;  // (B,H,T,T) softmax probabilities; null when fused
  T* lse;  // (B,H,T) the rows' log-sum-exp when fused, else null
  T* yh;   // (B,H,T,hd)
  T* y;    // (B,T,d) heads merged, before the output projection
  void layout(Arena<T>& a, const AttentionShape& s);
};

template <class T>
struct AttentionScratch {  // backward temporaries, shared by all layers
  T *dy, *dyh, *datt, *dq, *dk, *dv, *dqkv;  // datt (B,H,T,T) null when fused
  void layout(Arena<T>& a, const AttentionShape& s);
};

// out (B,T,d) += attention(xn) ; w_qkv (3d,d), w_proj (d,d)
template <class T>
void attention_forward(Backend<T>& be, const AttentionShape& s, const T* xn, const T* w_qkv,
                       const T* w_proj, AttentionActs<T>& a, T* out);

// dxn (B,T,d) = d/dxn ; dw_qkv, dw_proj accumulate
template <class T>
void attention_backward(Backend<T>& be, const AttentionShape& s, const T* dout, const T* xn,
                        const T* w_qkv, const T* w_proj, const AttentionActs<T>& a,
                        AttentionScratch<T>& g, T* dxn, T* dw_qkv, T* dw_proj);

}  // namespace moesim::models
