#pragma once
// An output folder option (--out): a folder, or a path where one can be made. Anything else is bad input.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include "usage_error.hpp"

namespace moesim::sims {

// --out "" would silently mean "the default" (stdout, or a default folder): refused instead.
inline CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "an empty path (accepted: a file or folder name; leave --out out for the default)" : "";
      },
      "", "");
}

inline void check_out_folder(const std::filesystem::path& out) {
  if (std::filesystem::exists(out) && !std::filesystem::is_directory(out))
    throw UsageError("--out: '" + out.string() + "' exists and is not a folder (accepted: a folder, made if missing)");
}

}  // namespace moesim::sims
