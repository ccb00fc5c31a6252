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
