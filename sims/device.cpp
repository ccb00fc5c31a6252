#include "device.hpp"

#include <filesystem>

#include "usage_error.hpp"
#include "models/device_info.hpp"

namespace moesim::sims {

namespace {

// No NVIDIA driver node (Linux; WSL's is /dev/dxg): no GPU can be visible, and the CUDA module (which maps
// ~200 MB of cudart and cuBLAS) need not be loaded to learn it.
bool driver_node_present() {
  std::error_code ec;
  return std::filesystem::exists("/dev/nvidiactl", ec) || std::filesystem::exists("/dev/dxg", ec);
}

}  // namespace

std::string resolve_device(const std::string& device) {
  if (device != "auto") return device;
  // cuda_devices() is empty when the module does not load: no separate check of cuda_module_error().
  return models::cuda_compiled() && driver_node_present() && !models::cuda_devices().empty() ? "cuda" : "cpu";
}

std::unique_ptr<models::Backend<float>> make_backend(const std::string& asked, const std::string& precision) {
  const std::string device = resolve_device(asked);
  if (precision != "fp32" && precision != "bf16")
    throw UsageError("--precision: unknown precision '" + precision + "' (accepted: fp32, bf16)");
  if (device == "cpu" && precision == "bf16")
    throw UsageError("--precision bf16: the CPU backend computes in fp32 (accepted: bf16 on a GPU, fp32 anywhere)");
  if (device == "cpu") return models::make_cpu_backend<float>();
  if (device != "cuda") throw UsageError("--device: unknown device '" + device + "' (accepted: cpu, cuda, auto)");
  if (!models::cuda_compiled()) throw UsageError("--device cuda: this moesim was built without CUDA");
  if (const std::string why = models::cuda_module_error(); !why.empty()) throw UsageError("--device cuda: " + why);
  if (models::cuda_devices().empty()) throw UsageError("--device cuda: no CUDA GPU is visible on this machine");
  try {
    return models::make_cuda_backend<float>(precision == "bf16" ? models::MatmulPrecision::Bf16
                                                                : models::MatmulPrecision::Fp32);
  } catch (const std::invalid_argument& e) {  // bf16 on a GPU without it
    throw UsageError("--precision " + precision + ": " + e.what());
  }
}

}  // namespace moesim::sims
