#pragma once
// The router: softmax, top-k and gate weights per token (one thread per token, E is small), and the backward.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void router_forward_kernel(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k,
                                      int gate) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T* z = logits + size_t(i) * E;
  T* p = probs + size_t(i) * E;
  T mx = z[0];
  for (int e = 1; e < E; ++e) mx = max(mx, z[e]);
  T sum = 0;
  for (int e = 0; e < E; ++e) sum += (p[e] = exp(z[e] - mx));
  for (int e = 0; e < E; ++e) p[e] /= sum;
  int* ex = experts + size_t(i) * k;
  T chosen = 0;
  for (int j = 0; j < k; ++j) {
    int best = -1;
    for (int e = 0; e < E; ++e) {
      bool taken = false;
      for (int l = 0; l < j; ++l) taken |= ex[l] == e;
      if (!taken && (best < 0 || p[e] > p[best])) best = e;
    }
    ex[j] = best;
    chosen += p[best];
  }
  for (int j = 0; j < k; ++j)  // gate: 0 renormalised, 1 probability, 2 hard
    weights[size_t(i) * k + j] = gate == 2 ? T(1) : gate == 1 ? p[ex[j]] : p[ex[j]] / chosen;
}
template <class T>
__global__ void router_backward_kernel(T* dlogits, const T* dweights, const T* extra, const T* probs,
                                       const int* experts, const T* weights, int n, int E, int k, int gate) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T* p = probs + size_t(i) * E;
  const T* dw = dweights + size_t(i) * k;
  const T* w = weights + size_t(i) * k;
  const int* ex = experts + size_t(i) * k;
  T chosen = 0, dotw = 0;
  for (int j = 0; j < k; ++j) chosen += p[ex[j]], dotw += dw[j] * w[j];
  auto dp = [&](int e) {
    T g = extra ? extra[size_t(i) * E + e] : T(0);
    for (int j = 0; j < k; ++j)
      if (ex[j] == e) g += gate == 1 ? dw[j] : gate == 0 ? (dw[j] - dotw) / chosen : T(0);
    return g;
  };
  T dot = 0;
  for (int e = 0; e < E; ++e) dot += p[e] * dp(e);
  for (int e = 0; e < E; ++e) dlogits[size_t(i) * E + e] = p[e] * (dp(e) - dot);
}

}  // namespace moesim::models::cuda
