#pragma once
// Elementwise kernels, one thread per element: sums, bias, activations and their gradients.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void add_kernel(T* y, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) y[i] += x[i];
}
template <class T>
__global__ void scale_kernel(T* x, size_t n, T s) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) x[i] *= s;
}
template <class T>
__global__ void add_bias_kernel(T* y, const T* b, int rows, int cols) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(rows) * cols) y[i] += b[i % cols];
}
template <class T>
__global__ void fill_columns_kernel(T* out, const T* values, int n, int E) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(n) * E) out[i] = values[i % E];
}
template <class T>
__global__ void swiglu_forward_kernel(T* g, const T* h, int n, int F) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * F) return;
  const size_t r = i / F, f = i % F;
  const T a = h[r * 2 * F + f], b = h[r * 2 * F + F + f];
  g[i] = a / (T(1) + exp(-a)) * b;
}
template <class T>
__global__ void swiglu_backward_kernel(T* dh, const T* dg, const T* h, int n, int F) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * F) return;
  const size_t r = i / F, f = i % F;
  const T a = h[r * 2 * F + f], b = h[r * 2 * F + F + f];
  const T s = T(1) / (T(1) + exp(-a));
  dh[r * 2 * F + f] = dg[i] * b * s * (T(1) + a * (T(1) - s));
  dh[r * 2 * F + F + f] = dg[i] * a * s;
}
template <class T>
__global__ void relu_forward_kernel(T* y, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) y[i] = x[i] <= T(0) ? T(0) : x[i];  // NaN passes through, as divergence detection needs
}
template <class T>
__global__ void relu_backward_kernel(T* dx, const T* dy, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) dx[i] = x[i] > T(0) ? dy[i] : T(0);
}

}  // namespace moesim::models::cuda
