// The searches as pure logic: a probe that passes above (or below) a hidden boundary.
#include <catch2/catch.hpp>

#include "sweep/search.hpp"

using namespace moesim::sims;

namespace {

Search make(long min, long max, long start, bool smallest, long step = 1, double resolution = 0) {
  Search s;
  s.key = "m", s.min = min, s.max = max, s.start = start, s.smallest = smallest, s.step = step, s.resolution = resolution;
  return s;
}

}  // namespace

TEST_CASE("search: the smallest passing value, from any start", "[sims][search]") {
  for (long boundary : {1L, 2L, 7L, 8L, 31L, 64L})
    for (long start : {1L, 4L, 50L}) {
      const auto out = run_search(make(1, 64, start, true), [&](long v) { return std::optional<bool>(v >= boundary); });
      INFO("boundary " << boundary << " start " << start);
      REQUIRE(out.value == boundary);
      REQUIRE_FALSE(out.failed);
      REQUIRE(out.probes.size() <= 16);  // bracket + bisect: logarithmic
    }
}

TEST_CASE("search: the largest passing value, and the ends of the range", "[sims][search]") {
  for (long boundary : {16L, 100L, 777L, 4096L}) {
    const auto out = run_search(make(16, 4096, 256, false), [&](long v) { return std::optional<bool>(v <= boundary); });
    INFO("boundary " << boundary);
    REQUIRE(out.value == boundary);
    REQUIRE(out.censored == (boundary == 4096));  // all passed: the truth may lie beyond the range
  }
  const auto none = run_search(make(16, 4096, 256, false), [](long) { return std::optional<bool>(false); });
  REQUIRE_FALSE(none.value);
  const auto never = run_search(make(1, 24, 2, true), [](long) { return std::optional<bool>(false); });
  REQUIRE_FALSE(never.value);
  REQUIRE(never.probes.back().first == 24);  // it tried the top before giving up
}

TEST_CASE("search: steps and resolution bound the grid and the work", "[sims][search]") {
  const auto stepped = run_search(make(8, 64, 8, true, 8), [](long v) { return std::optional<bool>(v >= 27); });
  REQUIRE(stepped.value == 32);
  for (const auto& [v, ok] : stepped.probes) REQUIRE(v % 8 == 0);
  const auto coarse = run_search(make(64, 65536, 512, false, 1, 0.2), [](long v) { return std::optional<bool>(v <= 3000); });
  REQUIRE(*coarse.value <= 3000);
  REQUIRE(*coarse.value >= 3000 / 1.25);  // within the 20% resolution
}

TEST_CASE("search: a probe that cannot run ends the search unresolved", "[sims][search]") {
  int calls = 0;
  const auto out = run_search(make(1, 64, 1, true), [&](long v) -> std::optional<bool> {
    if (++calls == 3) return std::nullopt;
    return v >= 40;
  });
  REQUIRE(out.failed);
  REQUIRE_FALSE(out.value);
}
