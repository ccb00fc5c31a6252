#pragma once
// What accelerators this process can use. Without the CUDA backend compiled in, always none.
#include <string>
#include <vector>

namespace moesim::models {

struct GpuInfo {
  std::string name;
  int sm_major = 0, sm_minor = 0;
  double memory_gib = 0;
};

bool cuda_compiled();               // was the CUDA backend built?
std::vector<GpuInfo> cuda_devices();  // empty when not compiled, no driver, or no GPU

}  // namespace moesim::models
