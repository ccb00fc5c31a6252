#include "sweep/search.hpp"

#include <algorithm>
#include <cmath>

namespace moesim::sims {

SearchOutcome run_search(const Search& s, const std::function<std::optional<bool>(long)>& probe) {
  SearchOutcome out;
  // The grid min, min+step, ..., max; `align` snaps to it.
  const long top = s.min + (s.max - s.min) / s.step * s.step;
  auto align = [&](double v) { return std::clamp(s.min + std::lround((v - s.min) / s.step) * s.step, s.min, top); };
  auto test = [&](long v) -> std::optional<bool> {
    const auto r = probe(v);
    if (!r) out.failed = true;
    else out.probes.push_back({v, *r});
    return r;
  };
  // For goal smallest, "good" values lie above the boundary; for largest, below. Walk away from the
  // start towards the other side, doubling the distance, until the outcome flips.
  const long start = align(double(s.start));
  const auto first = test(start);
  if (!first) return out;
  long pass = 0, fail = 0;  // the bracket: one passing value and one failing value
  bool have_pass = *first, have_fail = !*first;
  (*first ? pass : fail) = start;
  // Towards smaller values when we passed and want the smallest, or failed and want the largest.
  const bool downward = *first == s.smallest;
  for (long v = start;;) {
    const long next = downward ? align(std::min(double(v) / 2, double(v - s.step))) : align(std::max(2.0 * v, double(v + s.step)));
    if (next == v) break;  // the end of the range
    v = next;
    const auto r = test(v);
    if (!r) return out;
    if (*r) pass = v, have_pass = true;
    else fail = v, have_fail = true;
    if (*r != *first) break;
  }
  if (!have_pass) return out;  // nothing in range passes
  if (!have_fail) {            // everything tried passes up to the end of the range
    out.value = pass;
    out.censored = true;
    return out;
  }
  // Bisect between the failing and the passing value.
  while (std::abs(pass - fail) > std::max(s.step, long(std::ceil(s.resolution * double(pass))))) {
    const long mid = align(0.5 * double(pass + fail));
    if (mid == pass || mid == fail) break;
    const auto r = test(mid);
    if (!r) return out;
    (*r ? pass : fail) = mid;
  }
  out.value = pass;
  return out;
}

}  // namespace moesim::sims
