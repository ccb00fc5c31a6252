#pragma once
// FNV-1a 64 as 16 hex digits: the same on every compiler and machine (record ids, preset hashes).
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace moesim::sims {

inline uint64_t fnv1a(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

inline std::string fnv1a_hex(std::string_view bytes) {
  const uint64_t h = fnv1a(bytes);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace moesim::sims
