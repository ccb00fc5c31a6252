#pragma once
// What every kernel file shares: the block shape and the reductions. Reductions run in a fixed order
// (per-thread strided loops, then a fixed shuffle or shared-memory tree) and never use atomics, so the same
// inputs give the same bits. The kernels call exp, log, log1p, sqrt for T = float or double: CUDA overloads
// them (the float ones are expf, logf, log1pf, sqrtf).
#include <cuda_runtime.h>

namespace moesim::models::cuda {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

inline int blocks_for(size_t n, int threads = kThreads) { return int((n + threads - 1) / threads); }

template <class T>
__device__ T warp_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  return v;
}
template <class T>
__device__ T warp_max(T v) {
  for (int o = 16; o > 0; o >>= 1) v = max(v, __shfl_xor_sync(0xffffffff, v, o));
  return v;
}
// Sum over a block of kThreads threads; every thread gets the result.
template <class T>
__device__ T block_sum(T v) {
  __shared__ T partial[kWarps];
  v = warp_sum(v);
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = v;
  __syncthreads();
  T total = 0;
  for (int w = 0; w < kWarps; ++w) total += partial[w];
  __syncthreads();
  return total;
}

// log sum_j exp(x_j) over a row of length L, by the 32 lanes of a warp; every lane gets it.
template <class T>
__device__ T warp_logsumexp(const T* x, int L, int lane) {
  T mx = -INFINITY;
  for (int j = lane; j < L; j += 32) mx = max(mx, x[j]);
  mx = warp_max(mx);
  T sum = 0;
  for (int j = lane; j < L; j += 32) sum += exp(x[j] - mx);
  return mx + log(warp_sum(sum));
}

}  // namespace moesim::models::cuda
