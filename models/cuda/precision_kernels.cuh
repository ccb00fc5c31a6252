#pragma once
// Rounding to bf16 for the GEMMs' inputs (MatmulPrecision::Bf16): round to nearest even, as the tensor
// cores' own conversions do.
#include <cuda_bf16.h>

#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

template <class T>
__global__ void to_bf16_kernel(__nv_bfloat16* dst, const T* src, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) dst[i] = __float2bfloat16(float(src[i]));
}

}  // namespace moesim::models::cuda
