#pragma once
// The backend a run asks for by name: "cpu" or "cuda".
#include <memory>
#include <string>

#include "models/backend.hpp"

namespace moesim::sims {

// Throws UsageError when "cuda" is asked for and moesim was built without CUDA or sees no GPU.
std::unique_ptr<models::Backend<float>> make_backend(const std::string& device);

}  // namespace moesim::sims
