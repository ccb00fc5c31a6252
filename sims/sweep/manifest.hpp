#pragma once
// What produced a sweep's results, beside its CSVs as manifest.json: the preset and its hash, each
// section, how many of the records the CSVs were made from came from which commit, and the history of
// every invocation on this folder (date, binary, machine, options, run counts, wall time, the Slurm job
// it ran in), the newest last, and the shards that ran parts of it (OUT/shards/*.json, written by
// `sweep --shard`: where each ran, its Slurm job and node, its counts). A rerun appends to the history;
// it never replaces it.
#include <nlohmann/json.hpp>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

// The Slurm job this process runs in (job id, array job and task ids, node, cluster), or null outside Slurm.
nlohmann::json slurm_environment();

// `previous`: the folder's manifest so far (null if none). Throws UsageError when it is not a manifest
// (a manifest of the format before histories becomes the history's first entry).
nlohmann::json sweep_manifest(const Preset& preset, const SweepOptions& options, const SweepStats& stats,
                              const std::vector<SectionResult>& results, const nlohmann::json& previous);

}  // namespace moesim::sims
