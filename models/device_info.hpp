#pragma once
// What accelerators this process can use. Without the CUDA backend compiled in, always none. With it, the
// backend is a module loaded on the first call of any of these but cuda_compiled() (models/cuda_module.cpp).
#include <string>
#include <vector>

namespace moesim::models {

struct GpuInfo {
  std::string name;
  int sm_major = 0, sm_minor = 0;
  double memory_gib = 0;
};

bool cuda_compiled();                 // was the CUDA backend built? (loads nothing)
std::vector<GpuInfo> cuda_devices();  // empty when not compiled, the module does not load, no driver, or no GPU
// "" when the CUDA module is loaded; else one line saying why not (not compiled, or which file failed to
// load and the loader's reason, e.g. no libcudart on this machine).
std::string cuda_module_error();

}  // namespace moesim::models
