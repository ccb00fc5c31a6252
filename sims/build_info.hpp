#pragma once
// What this binary is: its version, the commit it was built from (and whether the tree had uncommitted
// changes), build type, compiler, the CPU instruction set it targets, and whether CUDA is compiled in.
// Every run record and sweep manifest carries it; `moesim --version` prints it.
#include <string>

namespace moesim::sims {

struct BuildInfo {
  std::string version;     // "0.2.0"
  std::string commit;      // 12 hex digits, or "unknown" (built outside git)
  bool dirty = false;      // tracked files differed from the commit when it was built
  std::string build_type;  // "Release", ...
  std::string compiler;    // "g++ 12.2.0"
  std::string arch;        // the -march of the CPU code ("x86-64-v3", "native"), "" for the compiler's default
  bool cuda = false;       // the CUDA backend is compiled in
};

const BuildInfo& build_info();
// "moesim 0.2.0, commit 0123456789ab (Release, g++ 12.2.0, -march=x86-64-v3, CUDA)"
std::string version_line();

}  // namespace moesim::sims
