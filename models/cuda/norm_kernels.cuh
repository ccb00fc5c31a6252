#pragma once
// RMSNorm, one warp per row (the weight gradient is a column sum: reduction_kernels.cuh).
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void rmsnorm_forward_kernel(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* xi = x + size_t(row) * C;
  T ss = 0;
  for (int c = lane; c < C; c += 32) ss += xi[c] * xi[c];
  ss = warp_sum(ss);
  const T r = T(1) / sqrt(ss / C + eps);
  if (lane == 0) rstd[row] = r;
  for (int c = lane; c < C; c += 32) out[size_t(row) * C + c] = xi[c] * r * w[c];
}
template <class T>
__global__ void rmsnorm_backward_dx_kernel(T* dx, const T* dout, const T* x, const T* w, const T* rstd, int n, int C) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* xi = x + size_t(row) * C;
  const T* gi = dout + size_t(row) * C;
  const T r = rstd[row];
  T dot = 0;
  for (int c = lane; c < C; c += 32) dot += w[c] * gi[c] * xi[c];
  dot = warp_sum(dot);
  for (int c = lane; c < C; c += 32) dx[size_t(row) * C + c] += r * (w[c] * gi[c] - xi[c] * r * r * dot / C);
}

}  // namespace moesim::models::cuda
