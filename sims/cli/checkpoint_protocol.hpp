#pragma once
// `moesim prove protocol --checkpoint FILE`: the Thm 3.2 protocol and a failure-witness search on a
// saved one-layer model trained on length-2 path.
#include <string>

namespace moesim::sims {

// Prints the protocol's agreement, the bits sent against DISJ's n, and a failure witness if one is
// found within `budget` inputs. Returns 0, or 1 if the protocol disagrees with the model. A file that is
// not such a model throws UsageError.
int run_checkpoint_protocol(const std::string& path, long budget);

}  // namespace moesim::sims
