#pragma once
// The backend a run asks for by name: "cpu", "cuda", or "auto" (the GPU when one is visible, else the CPU).
#include <memory>
#include <string>

#include "models/backend.hpp"

namespace moesim::sims {

// "auto" -> "cuda" when moesim was built with CUDA, the NVIDIA driver's device node exists, the CUDA module
// loads and a GPU is visible, else "cpu" (without the node, nothing is loaded to find out);
// "cpu" and "cuda" as they are (make_backend checks "cuda"). Records and run identities hold the resolved
// name, never "auto": a run on the GPU is another run than the same options on the CPU.
std::string resolve_device(const std::string& device);

// Throws UsageError when "cuda" is asked for and moesim was built without CUDA or sees no GPU, and when
// `precision` ("fp32", "bf16") is one the device lacks (the CPU and pre-Ampere GPUs: fp32 only).
std::unique_ptr<models::Backend<float>> make_backend(const std::string& device, const std::string& precision = "fp32");

}  // namespace moesim::sims
