#include <catch2/catch.hpp>

#include "models/device_info.hpp"

using namespace moesim::models;

TEST_CASE("device_info: says whether CUDA was built in, every GPU it lists has a name and a compute capability",
          "[models][device_info]") {
#ifdef MOESIM_HAVE_CUDA
  REQUIRE(cuda_compiled());
#else
  REQUIRE_FALSE(cuda_compiled());
  REQUIRE(cuda_devices().empty());
#endif
  const auto gpus = cuda_devices();
  if (gpus.empty()) WARN("no CUDA GPU visible: only the empty list was checked");
  for (const auto& g : gpus) {
    REQUIRE_FALSE(g.name.empty());
    REQUIRE(g.sm_major >= 3);
    REQUIRE(g.memory_gib > 0);
  }
  REQUIRE(cuda_devices().size() == gpus.size());  // asking twice is safe
}

TEST_CASE("device_info: built with CUDA, the tests binary finds and loads the CUDA module (else says why not)",
          "[models][device_info]") {
#ifdef MOESIM_HAVE_CUDA
  INFO(cuda_module_error());
  REQUIRE(cuda_module_error().empty());  // nvcc's machine has cudart and cuBLAS, GPU or not
#else
  REQUIRE(cuda_module_error().find("built without CUDA") != std::string::npos);
#endif
}
