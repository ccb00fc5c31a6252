// The CUDA module's entry point (models/cuda/module_abi.hpp). The module is compiled with hidden
// visibility: this is the one symbol it exports, so nothing of it can clash with moesim's own symbols.
#include "models/cuda/module.hpp"

#include "models/cuda/module_abi.hpp"

namespace moesim::models::cuda {
namespace {

template <class T>
Backend<T>* backend(int precision) {
  return new_backend<T>(MatmulPrecision(precision)).release();
}

constexpr CudaModuleApi kApi{kCudaModuleAbi, MOESIM_CUDA_INTERFACE, list_devices, backend<float>, backend<double>};

}  // namespace
}  // namespace moesim::models::cuda

extern "C" __attribute__((visibility("default"))) const moesim::models::CudaModuleApi* moesim_cuda_module() {
  return &moesim::models::cuda::kApi;
}
