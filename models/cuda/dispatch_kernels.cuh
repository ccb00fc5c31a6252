#pragma once
// Moving rows between token order and expert order: gathers, scatters and the gate-weighted combine.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void gather_rows_kernel(T* dst, const T* src, const int* index, int m, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(m) * C) dst[i] = src[size_t(index[i / C]) * C + i % C];
}
template <class T>
__global__ void scatter_add_rows_kernel(T* dst, const T* src, const int* index, int m, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(m) * C) dst[size_t(index[i / C]) * C + i % C] += src[i];
}
template <class T>
__global__ void gather_sum_rows_kernel(T* dst, const T* src, const int* rows, int n, int k, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * C) return;
  const size_t t = i / C, c = i % C;
  T s = 0;
  for (int j = 0; j < k; ++j) s += src[size_t(rows[t * k + j]) * C + c];
  dst[i] += s;
}
template <class T>
__global__ void combine_forward_kernel(T* out, const T* y, const T* weights, const int* rows, int n, int k, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * C) return;
  const size_t t = i / C, c = i % C;
  T s = out[i];
  for (int j = 0; j < k; ++j) s += weights[t * k + j] * y[size_t(rows[t * k + j]) * C + c];
  out[i] = s;
}
// One warp per slot (t, j).
template <class T>
__global__ void combine_backward_kernel(T* dy, T* dweights, const T* dout, const T* y, const T* weights,
                                        const int* rows, int n, int k, int C) {
  const int slot = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (slot >= n * k) return;
  const size_t t = slot / k, r = rows[slot];
  const T w = weights[slot];
  T dot = 0;
  for (int c = lane; c < C; c += 32) {
    const T g = dout[t * C + c];
    dy[r * C + c] = w * g;
    dot += g * y[r * C + c];
  }
  dot = warp_sum(dot);
  if (lane == 0) dweights[slot] = dot;
}

}  // namespace moesim::models::cuda
