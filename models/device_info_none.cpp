// Built when the CUDA backend is off.
#include <stdexcept>

#include "backend.hpp"
#include "device_info.hpp"

namespace moesim::models {

namespace {
const char* const kNoCuda = "this moesim was built without CUDA (configure with nvcc available)";
}

bool cuda_compiled() { return false; }
std::vector<GpuInfo> cuda_devices() { return {}; }
std::string cuda_module_error() { return kNoCuda; }

template <class T>
std::unique_ptr<Backend<T>> make_cuda_backend(MatmulPrecision) {
  throw std::runtime_error(kNoCuda);
}
template std::unique_ptr<Backend<float>> make_cuda_backend<float>(MatmulPrecision);
template std::unique_ptr<Backend<double>> make_cuda_backend<double>(MatmulPrecision);

}  // namespace moesim::models
