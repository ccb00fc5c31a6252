#pragma once
// Files that appear whole or not at all: written to a temporary name beside the target, flushed, then
// renamed over it (rename is atomic within a file system), so a killed process never leaves half a file.
#include <filesystem>
#include <string_view>

namespace moesim::models {

// Throws std::runtime_error naming the path when the write fails.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

}  // namespace moesim::models
