#include <catch2/catch.hpp>

#include "usage_error.hpp"
#include "device.hpp"
#include "models/device_info.hpp"

using namespace moesim::sims;

TEST_CASE("device: cpu always, cuda when there is a GPU, else a usage error saying why", "[sims][device]") {
  REQUIRE(make_backend("cpu")->name() == "cpu");
  REQUIRE_THROWS_WITH(make_backend("tpu"), Catch::Contains("accepted: cpu, cuda"));
  if (!moesim::models::cuda_devices().empty()) {
    REQUIRE(make_backend("cuda")->name() == "cuda");
  } else if (moesim::models::cuda_compiled()) {
    REQUIRE_THROWS_AS(make_backend("cuda"), UsageError);
    REQUIRE_THROWS_WITH(make_backend("cuda"), Catch::Contains("no CUDA GPU"));
  } else {
    REQUIRE_THROWS_WITH(make_backend("cuda"), Catch::Contains("built without CUDA"));
  }
}
