// Built when the CUDA backend is off.
#include "device_info.hpp"

namespace moesim::models {

bool cuda_compiled() { return false; }
std::vector<GpuInfo> cuda_devices() { return {}; }

}  // namespace moesim::models
