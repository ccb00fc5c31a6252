#pragma once
// The searches of a sweep, as pure logic over a probe: bracket (doubling away from the start), then
// bisect. `probe(value)` trains one run and says whether it passed; nullopt means it failed to run,
// which ends the search unresolved. Each probe is a run record, so a rerun replays the search from the
// records without training.
#include <functional>
#include <optional>
#include <vector>

#include "sweep/preset.hpp"

namespace moesim::sims {

struct SearchOutcome {
  std::optional<long> value;  // the smallest (or largest) passing value; none if none passed in range
  bool censored = false;      // no flip in range: the value is an end of the range, the truth lies beyond
  bool failed = false;        // a probe could not run
  std::vector<std::pair<long, bool>> probes;  // (value, passed) in the order tried
};

// Assumes passing is monotone in the value (rising for goal smallest, falling for goal largest).
SearchOutcome run_search(const Search& s, const std::function<std::optional<bool>(long)>& probe);

}  // namespace moesim::sims
