// In the CUDA module: asks the runtime which GPUs are present. A machine without a driver or a GPU (the
// CI machine) gets an empty list, not an error.
#include <cuda_runtime.h>

#include "models/cuda/module.hpp"

namespace moesim::models::cuda {

std::vector<GpuInfo> list_devices() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver" error
    return {};
  }
  std::vector<GpuInfo> out;
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    out.push_back({prop.name, prop.major, prop.minor,
                   static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0)});
  }
  return out;
}

}  // namespace moesim::models::cuda
