#pragma once
// Files that appear whole or not at all: written to a temporary name beside the target, flushed, then
// renamed over it (rename is atomic within a file system), so a killed process never leaves half a file.
// The temporary is named TARGET.tmp.HOST.PID, so that a later process can tell whether its writer is gone
// (a dead process of this host) and remove it; temporaries of other hosts (a shared file system) are
// left to a process of their own host.
#include <filesystem>
#include <string>
#include <string_view>

namespace moesim::models {

// Throws std::runtime_error naming the path when the write fails.
void write_file_atomic(const std::filesystem::path& path, std::string_view contents);

// ".tmp.HOST.PID" of this process: what write_file_atomic appends to the target's name.
std::string temp_suffix();

// Whether `file` is a temporary of write_file_atomic whose writer has died: a process of this host that
// no longer runs (also the older form TARGET.tmp.PID, which named no host).
bool is_stale_temp(const std::filesystem::path& file);

// Removes the stale temporaries in `dir` (and below it, when `recursive`); returns how many.
int remove_stale_temps(const std::filesystem::path& dir, bool recursive);

}  // namespace moesim::models
