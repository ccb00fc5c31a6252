#pragma once
// Losses with their gradients: cross-entropy and z-loss one warp per row, logistic one thread per row.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void cross_entropy_kernel(T* d, T* loss, const T* z, const int* targets, const T* weight, int n, int V) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* zi = z + size_t(row) * V;
  const T lse = warp_logsumexp(zi, V, lane), w = weight[row];
  const int tgt = targets[row];
  if (lane == 0) loss[row] = w != T(0) ? lse - zi[tgt] : T(0);
  for (int v = lane; v < V; v += 32) d[size_t(row) * V + v] = w * (exp(zi[v] - lse) - (v == tgt ? T(1) : T(0)));
}
template <class T>
__global__ void logistic_kernel(T* dz, T* loss, const T* z, const T* y, T weight, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T m = -y[i] * z[i];
  loss[i] = m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
  dz[i] = weight * -y[i] / (T(1) + exp(-m));
}
// One warp per row: z[i] = logsumexp(logits_i); dlogits += coef * 2 z / n * softmax.
template <class T>
__global__ void z_loss_kernel(T* dlogits, T* z, const T* logits, int n, int E, T coef) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* l = logits + size_t(row) * E;
  const T lse = warp_logsumexp(l, E, lane);
  if (lane == 0) z[row] = lse;
  for (int e = lane; e < E; e += 32) dlogits[size_t(row) * E + e] += coef * 2 * lse / n * exp(l[e] - lse);
}

}  // namespace moesim::models::cuda
