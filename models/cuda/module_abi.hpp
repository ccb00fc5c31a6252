#pragma once
// What moesim and its CUDA module (libmoesim_cuda.so, models/cuda/module.cpp) share: one C entry point
// returning a table of C++ functions. The module is built by the same compiler against the same
// libstdc++, so std::vector, std::string and exceptions cross the boundary as they would between two
// object files. A module from another build of moesim is refused at load: `abi` is bumped by hand when
// this table changes, `interface` is a hash of the headers the two sides share (models/CMakeLists.txt),
// so a stale module whose Backend<T> has another vtable layout is caught even when nobody bumped `abi`.
#include <vector>

#include "models/backend.hpp"
#include "models/device_info.hpp"

namespace moesim::models {

inline constexpr int kCudaModuleAbi = 4;  // 2: gemm_grouped(_weights); 3: clip_norm, weighted_sum,
                                          // device-side aux losses, grouped bias ops; 4: recorded graphs,
                                          // pinned host memory, adamw's schedule in device memory,
                                          // MatmulPrecision
inline constexpr const char* kCudaModuleEntry = "moesim_cuda_module";

struct CudaModuleApi {
  int abi;                // kCudaModuleAbi of the module's build; read before anything else
  const char* interface;  // MOESIM_CUDA_INTERFACE of the module's build
  std::vector<GpuInfo> (*devices)();  // empty when no driver or no GPU
  // New backends on the current GPU with the given MatmulPrecision (as an int), owned by the caller; throw
  // std::runtime_error (e.g. no GPU) or std::invalid_argument (a precision the GPU or the type lacks).
  Backend<float>* (*backend_f32)(int precision);
  Backend<double>* (*backend_f64)(int precision);
};

}  // namespace moesim::models

// The module's only exported symbol.
extern "C" const moesim::models::CudaModuleApi* moesim_cuda_module();
