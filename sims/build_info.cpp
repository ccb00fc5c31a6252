#include "build_info.hpp"

#include "build_commit.hpp"  // generated at build time: MOESIM_COMMIT, MOESIM_DIRTY
#include "models/device_info.hpp"

namespace moesim::sims {

const BuildInfo& build_info() {
  static const BuildInfo info{MOESIM_VERSION, MOESIM_COMMIT, MOESIM_DIRTY != 0, MOESIM_BUILD_TYPE,
                              std::string("g++ ") + __VERSION__, MOESIM_ARCH, models::cuda_compiled()};
  return info;
}

std::string version_line() {
  const BuildInfo& b = build_info();
  return "moesim " + b.version + ", commit " + b.commit + (b.dirty ? "-dirty" : "") + " (" + b.build_type + ", " +
         b.compiler + ", " + (b.arch.empty() ? "default -march" : "-march=" + b.arch) + (b.cuda ? ", CUDA" : "") + ")";
}

}  // namespace moesim::sims
