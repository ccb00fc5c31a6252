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
// The group g of row r under offsets (groups+1, offsets[0] = 0 <= r < offsets[groups]): the last g with
// offsets[g] <= r, so empty groups are passed over.
__device__ inline int group_of_row(const int* offsets, int groups, int r) {
  int lo = 0, hi = groups;  // offsets[lo] <= r < offsets[hi]
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    if (offsets[mid] <= r) lo = mid; else hi = mid;
  }
  return lo;
}
template <class T>
__global__ void add_bias_grouped_kernel(T* y, const T* b, const int* offsets, int groups, int rows, int cols) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(rows) * cols) return;
  const int r = int(i / cols), c = int(i % cols);
  y[i] += b[size_t(group_of_row(offsets, groups, r)) * cols + c];
}
// One block per group, a thread per column summing the group's rows in order.
template <class T>
__global__ void bias_backward_grouped_kernel(T* db, const T* dy, const int* offsets, int cols) {
  const int g = blockIdx.x, r0 = offsets[g], r1 = offsets[g + 1];
  if (r1 == r0) return;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    T s = 0;
    for (int r = r0; r < r1; ++r) s += dy[size_t(r) * cols + c];
    db[size_t(g) * cols + c] += s;
  }
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
