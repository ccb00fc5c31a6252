#pragma once
// Checkpoints in the safetensors format: an 8-byte little-endian header length, a JSON header naming
// every tensor (dtype, shape, data_offsets) with `__metadata__` (string values), then the raw data.
// PyTorch and other tools read them as they are. Besides the model's tensors a checkpoint holds AdamW's
// moments as two flat tensors, "optimizer.m" and "optimizer.v" (the parameter layout), so a run resumes
// bit for bit.
#include <map>
#include <stdexcept>
#include <string>

#include "models/param_store.hpp"

namespace moesim::models {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// metadata: string pairs; the caller puts the model kind and config (JSON) and the step there.
template <class T>
void save_checkpoint(const std::string& path, ParamStore<T>& store,
                     const std::map<std::string, std::string>& metadata);

// Reads the metadata only (to build the model before loading its tensors). Throws CheckpointError.
std::map<std::string, std::string> read_checkpoint_metadata(const std::string& path);

// Checks, from the header alone, that the file holds every tensor of `table` with its shape: run before a
// model is built from the metadata's config, so that a file whose config contradicts its tensors is
// refused before a model of the config's size is allocated. Throws CheckpointError.
void check_checkpoint_shapes(const std::string& path, const ParamTable& table);

// Loads parameters (and moments, when present) into `store`. Every tensor of the store's table must be
// present with its dtype and shape, and every parameter finite (a diverged run's weights are no model);
// a truncated file, a corrupt header, a mismatch or a NaN/inf throws CheckpointError naming the path and
// what is wrong, and leaves the store untouched.
template <class T>
void load_checkpoint(const std::string& path, ParamStore<T>& store);

}  // namespace moesim::models
