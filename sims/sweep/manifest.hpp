#pragma once
// What produced a sweep's results: the commit, compiler, build type, CPU and GPU, date, the preset and
// its hash, the sweep's options and run counts. Written beside the CSVs as manifest.json.
#include <nlohmann/json.hpp>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

nlohmann::json sweep_manifest(const Preset& preset, const SweepOptions& options, const SweepStats& stats,
                              const std::vector<SectionResult>& results);

}  // namespace moesim::sims
