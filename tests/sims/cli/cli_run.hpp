#pragma once
// The moesim command as a user meets it: run it, read its exit status and output (stdout and stderr).
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "../../scratch_dir.hpp"

namespace moesim::testing {

struct CliResult {
  int status;
  std::string out;
};

// A shell command line, its stdout and stderr together.
inline CliResult run_cli_raw(const std::string& command) {
  const std::string cmd = "{ " + command + "; } 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  CliResult r{-1, ""};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.out += buf;
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// `env`: assignments placed before the command ("MOESIM_ROOT=/x"), or "".
inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  return run_cli_raw((env.empty() ? "" : "env " + env + " ") + std::string(MOESIM_BINARY) + " " + args);
}

// The command run in `dir` (what it writes lands there), stopped after `timeout_s` seconds (status 124).
inline CliResult run_cli_in(const std::filesystem::path& dir, const std::string& args, int timeout_s) {
  return run_cli_raw("cd '" + dir.string() + "' && timeout " + std::to_string(timeout_s) + " " + MOESIM_BINARY + " " +
                     args);
}

inline int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Bad input: exit status 2 and exactly one line, "moesim: ...".
inline void require_refused(const std::vector<std::string>& commands, const std::string& env = "") {
  for (const auto& args : commands) {
    const auto r = run_cli(args, env);
    INFO(args << " -> " << r.out);
    REQUIRE(r.status == 2);
    REQUIRE(count_lines(r.out) == 1);
    REQUIRE(r.out.rfind("moesim: ", 0) == 0);
  }
}

inline void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

// A file's whole text ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace moesim::testing
