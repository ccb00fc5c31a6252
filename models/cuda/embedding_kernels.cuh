#pragma once
// The embedding's backward as a gather: positions sorted by token (counting_sort_kernels.cuh), then
// thread (token, column) sums the gradient rows of that token's positions, in position order.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

// dtable (V,C) += sum over the positions of each token of dout (n,C); offsets (V+1) and positions (n)
// from the sort of the tokens. Grid: (V, column blocks).
template <class T>
__global__ void embedding_backward_kernel(T* dtable, const T* dout, const int* offsets, const int* positions,
                                          int C) {
  const int v = blockIdx.x, c = blockIdx.y * blockDim.x + threadIdx.x;
  if (c >= C || offsets[v] == offsets[v + 1]) return;
  T s = 0;
  for (int i = offsets[v]; i < offsets[v + 1]; ++i) s += dout[size_t(positions[i]) * C + c];
  dtable[size_t(v) * C + c] += s;
}

}  // namespace moesim::models::cuda
