// The bootstrap over seeds: the same data give the same interval, the interval covers what it should, and
// replicates without a statistic are left out.
#include <catch2/catch.hpp>
#include <cmath>

#include "graphs/rng.hpp"
#include "sweep/bootstrap.hpp"

using namespace moesim::sims;

TEST_CASE("bootstrap: deterministic percentile intervals of the mean", "[sims][bootstrap]") {
  const std::vector<double> v{0.90, 0.94, 0.95, 0.97, 0.99};
  const Interval a = bootstrap_mean(v), b = bootstrap_mean(v);
  REQUIRE(a.low == b.low);
  REQUIRE(a.high == b.high);
  REQUIRE(a.replicates == kBootstrapResamples);
  REQUIRE(a.low >= 0.90);
  REQUIRE(a.high <= 0.99);
  REQUIRE(a.low < 0.95);
  REQUIRE(a.high > 0.95);
  const Interval one = bootstrap_mean({0.5});
  REQUIRE(one.low == 0.5);
  REQUIRE(one.high == 0.5);
  REQUIRE(std::isnan(bootstrap_mean({}).low));
}

TEST_CASE("bootstrap: the 95% interval of a mean covers the truth about 95% of the time", "[sims][bootstrap]") {
  // 200 experiments of 20 draws from N(0, 1): the percentile interval misses 0 in roughly 5-10% of them
  // (the percentile bootstrap is a little narrow at n = 20).
  int covered = 0;
  for (int e = 0; e < 200; ++e) {
    moesim::graphs::Rng rng(77, uint64_t(e));
    std::vector<double> v;
    for (int i = 0; i < 20; ++i) {
      const double u1 = (double(rng.next() >> 11) + 1) * 0x1.0p-53, u2 = double(rng.next() >> 11) * 0x1.0p-53;
      v.push_back(std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }
    const Interval ci = bootstrap(20, [&](const std::vector<int>& picks) {
      double s = 0;
      for (int i : picks) s += v[i];
      return s / 20;
    }, 0.95, 1000);
    covered += ci.low <= 0 && 0 <= ci.high;
  }
  REQUIRE(covered >= 176);  // >= 88%
  REQUIRE(covered <= 198);
}

TEST_CASE("bootstrap: replicates without a statistic are left out, quantiles interpolate", "[sims][bootstrap]") {
  const Interval ci = bootstrap(3, [](const std::vector<int>& picks) { return picks[0] == 0 ? NAN : 1.0; });
  REQUIRE(ci.replicates > 0);
  REQUIRE(ci.replicates < kBootstrapResamples);  // about a third had no statistic
  REQUIRE(ci.low == 1.0);
  REQUIRE(quantile({1, 2, 3, 4, 5}, 0.5) == 3.0);
  REQUIRE(quantile({1, 2}, 0.25) == 1.25);
  REQUIRE(quantile({7}, 0.975) == 7.0);
}
