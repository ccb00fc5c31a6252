// The Gaussian memorisation data: moments, labels, and its majority baseline.
#include <catch2/catch.hpp>
#include <cmath>

#include "run_options.hpp"
#include "tasks/gaussian.hpp"

using namespace moesim::sims;

TEST_CASE("gaussian: N(0,1) inputs, random labels, the test set is the training set", "[sims][gaussian]") {
  const auto t = make_gaussian(400, 5, 6, 11);
  REQUIRE(t.input_dim == 6);
  REQUIRE(t.N == 5);
  REQUIRE(t.train.x.size() == 400u * 5 * 6);
  double mean = 0, sq = 0;
  for (float v : t.train.x) mean += v, sq += double(v) * v;
  mean /= double(t.train.x.size()), sq /= double(t.train.x.size());
  REQUIRE(std::abs(mean) < 0.05);  // 12,000 draws: sd of the mean 0.009
  REQUIRE(std::abs(sq - 1) < 0.05);
  int positive = 0;
  for (float y : t.train.labels) {
    REQUIRE((y == 1.0f || y == -1.0f));
    positive += y > 0;
  }
  REQUIRE(std::abs(positive - 200) < 50);
  REQUIRE(t.test.x == t.train.x);
  REQUIRE(t.test.labels == t.train.labels);
  REQUIRE(make_gaussian(400, 5, 6, 12).train.x != t.train.x);
}
