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

// One block: *loss = coef * mean_i z_i^2 in double (the z-loss's value).
template <class T>
__global__ void mean_square_kernel(double* loss, const T* z, int n, double coef) {
  double s = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) s += double(z[i]) * double(z[i]);
  s = block_sum(s);
  if (threadIdx.x == 0) *loss = coef * s / n;
}
// One thread: the balancing loss's terms as balance_terms (models/balance_loss.cpp) computes them, from the
// per-expert probability sums (E,) and the routed counts in offsets (E+1): dprob (E,) and *loss.
template <class T>
__global__ void balance_terms_kernel(T* dprob, double* loss, const T* prob_sums, const int* offsets, int n, int E,
                                     int k, double coef) {
  if (blockIdx.x != 0 || threadIdx.x != 0) return;
  double sum = 0;
  for (int e = 0; e < E; ++e) {
    const double f = double(offsets[e + 1] - offsets[e]) / n;
    sum += f * (double(prob_sums[e]) / n);
    dprob[e] = T(coef * E / k * f / n);
  }
  *loss = coef * E / k * sum;
}

}  // namespace moesim::models::cuda
