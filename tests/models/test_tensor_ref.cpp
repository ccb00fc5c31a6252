#include <catch2/catch.hpp>

#include "models/tensor_ref.hpp"

using moesim::models::TensorRef;

TEST_CASE("tensor_ref: row-major indexing with the rank and the bounds checked", "[models][tensor_ref]") {
  std::vector<int> buffer(2 * 3 * 4);
  const TensorRef<int> t{buffer.data(), {2, 3, 4}, "W"};
  REQUIRE(t.size() == 24);
  t(1, 2, 3) = 7;
  REQUIRE(buffer[(1 * 3 + 2) * 4 + 3] == 7);
  REQUIRE_THROWS_AS(t(1, 2), std::out_of_range);     // rank
  REQUIRE_THROWS_AS(t(2, 0, 0), std::out_of_range);  // bounds
  REQUIRE_THROWS_WITH(t(0, -1, 0), Catch::Contains("W"));
  const TensorRef<int> absent{nullptr, {3}, "router"};
  REQUIRE_THROWS_AS(absent(0), std::logic_error);
}
