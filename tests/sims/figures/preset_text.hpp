#pragma once
// A preset written to a temporary file and loaded: figure-kind tests start from the TOML a user writes.
#include <filesystem>
#include <fstream>
#include <string>

#include "sweep/preset.hpp"
#include "../../scratch_dir.hpp"

namespace moesim::testing {

inline sims::Preset preset_from(const std::string& name, const std::string& text) {
  static const auto dir = moesim::testing::fresh_dir("moesim_test_figures");
  const auto path = dir / (name + ".toml");
  std::ofstream(path) << text;
  return sims::load_preset(path.string());
}

}  // namespace moesim::testing
