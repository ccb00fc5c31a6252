#pragma once
// AdamW with decoupled weight decay, one thread per parameter; the step's lr and bias corrections
// (schedule = [lr, c1, c2]) are read from device memory, so a recorded step replays with each step's values.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void adamw_kernel(T* p, const T* g, T* m, T* v, size_t n, const T* schedule, T b1, T b2, T eps, T wd) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const T lr = schedule[0], c1 = schedule[1], c2 = schedule[2];
  m[i] = b1 * m[i] + (T(1) - b1) * g[i];
  v[i] = b2 * v[i] + (T(1) - b2) * g[i] * g[i];
  const T mhat = m[i] / c1, vhat = v[i] / c2;
  p[i] -= lr * (mhat / (sqrt(vhat) + eps) + wd * p[i]);
}

}  // namespace moesim::models::cuda
