#pragma once
// Whole-tensor and per-column sums, in a fixed order.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void sum_squares_kernel(double* partial, const T* x, size_t n) {
  double s = 0;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x)
    s += double(x[i]) * double(x[i]);
  s = block_sum(s);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}
// One block: *out = sum_i w_i x_i in double (a fixed strided order, then block_sum).
template <class T>
__global__ void weighted_sum_kernel(double* out, const T* w, const T* x, int n) {
  double s = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) s += (w ? double(w[i]) : 1.0) * double(x[i]);
  s = block_sum(s);
  if (threadIdx.x == 0) *out = s;
}
// One thread: *out = the partials summed in block order (the order sum_squares uses on the host), square-rooted
// if asked. A few hundred partials: cheaper than a round trip to the host.
__global__ inline void sum_partials_kernel(double* out, const double* partial, int count, bool root) {
  if (blockIdx.x != 0 || threadIdx.x != 0) return;
  double s = 0;
  for (int i = 0; i < count; ++i) s += partial[i];
  *out = root ? sqrt(s) : s;
}
// x *= max_norm / *norm where max_norm > 0 and *norm > max_norm: the clipping decision made on the device.
template <class T>
__global__ void clip_scale_kernel(T* x, size_t n, const double* norm, double max_norm) {
  const double r = *norm;
  if (!(max_norm > 0 && r > max_norm)) return;
  const T s = T(max_norm / r);
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) x[i] *= s;
}
// One block per column: out[c] += scale-free column sum of a (rows, cols) (times b[r] * x[r,c] if given).
template <class T>
__global__ void column_sum_kernel(T* out, const T* a, const T* x, const T* row_scale, int rows, int cols,
                                  bool accumulate) {
  const int c = blockIdx.x;
  T s = 0;
  for (int r = threadIdx.x; r < rows; r += blockDim.x) {
    T v = a[size_t(r) * cols + c];
    if (x) v *= x[size_t(r) * cols + c];
    if (row_scale) v *= row_scale[r];
    s += v;
  }
  s = block_sum(s);
  if (threadIdx.x == 0) out[c] = accumulate ? out[c] + s : s;
}

}  // namespace moesim::models::cuda
