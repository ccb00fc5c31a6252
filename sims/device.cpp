#include "device.hpp"

#include "usage_error.hpp"
#include "models/device_info.hpp"

namespace moesim::sims {

std::unique_ptr<models::Backend<float>> make_backend(const std::string& device) {
  if (device == "cpu") return models::make_cpu_backend<float>();
  if (device != "cuda") throw UsageError("--device: unknown device '" + device + "' (accepted: cpu, cuda)");
  if (!models::cuda_compiled()) throw UsageError("--device cuda: this moesim was built without CUDA");
  if (const std::string why = models::cuda_module_error(); !why.empty()) throw UsageError("--device cuda: " + why);
  if (models::cuda_devices().empty()) throw UsageError("--device cuda: no CUDA GPU is visible on this machine");
  return models::make_cuda_backend<float>();
}

}  // namespace moesim::sims
