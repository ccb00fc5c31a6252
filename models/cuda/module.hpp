#pragma once
// Inside the CUDA module: what models/cuda/module.cpp puts in its table.
#include <memory>
#include <vector>

#include "models/backend.hpp"
#include "models/device_info.hpp"

namespace moesim::models::cuda {

std::vector<GpuInfo> list_devices();  // models/cuda/device_info.cu

template <class T>
std::unique_ptr<Backend<T>> new_backend(MatmulPrecision precision);  // models/cuda/cuda_backend.cu

}  // namespace moesim::models::cuda
