// The command's front door: verbs, help, and one line for a verb that does not exist.
#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("main: an unknown verb or option exits 2 with one line", "[sims][cli]") {
  require_refused({"frobnicate", "train --frobnicate 3", "graphs", "sweep quick --verify nan", "bench graphs --seconds nan"});
}

TEST_CASE("main: help exits 0 and shows an example for every verb", "[sims][cli]") {
  for (const char* verb : {"graphs sample", "graphs calibrate", "train", "prove", "prove protocol", "sweep", "plot",
                           "sraven sample", "bench graphs", "bench train"}) {
    const auto r = run_cli(std::string(verb) + " --help");
    INFO(verb);
    REQUIRE(r.status == 0);
    REQUIRE((r.out.find("Example:") != std::string::npos || r.out.find("Examples:") != std::string::npos));
  }
}

TEST_CASE("main: bare moesim lists the verbs, --version names the build, usage lines name the program",
          "[sims][cli]") {
  const auto bare = run_cli("");
  REQUIRE(bare.status == 0);
  for (const char* verb : {"graphs", "sraven", "train", "prove", "sweep", "plot", "bench"})
    REQUIRE(bare.out.find(std::string("  ") + verb) != std::string::npos);
  const auto version = run_cli("--version");
  REQUIRE(version.status == 0);
  REQUIRE(version.out.rfind("moesim 0.", 0) == 0);
  REQUIRE(version.out.find("commit ") != std::string::npos);
  REQUIRE(version.out.find("data: ") != std::string::npos);
  for (const char* verb : {"train", "sweep", "graphs sample", "bench train"})
    REQUIRE(run_cli(std::string(verb) + " --help").out.find(std::string("Usage: moesim ") + verb) != std::string::npos);
  for (const char* group : {"graphs", "sraven", "bench"}) {
    const auto help = run_cli(std::string(group) + " --help");
    INFO(group);
    REQUIRE(help.out.find("Example") != std::string::npos);
  }
}

namespace main_test {

// The option's line in a help text ends its type with "=DEFAULT".
bool shows_default(const std::string& help, const std::string& option, const std::string& value) {
  const auto at = help.find("  " + option + " ");
  if (at == std::string::npos) return false;
  const auto line = help.substr(at, help.find('\n', at) - at);
  return line.find("=" + value) != std::string::npos;
}

}  // namespace main_test

TEST_CASE("main: --help shows every option's default", "[sims][cli]") {
  using main_test::shows_default;
  const auto train = run_cli("train --help").out;
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--steps", "500"}, {"--lr", "0.003"}, {"--hidden", "32"}, {"--decay", "linear"}, {"--nodes", "8"},
           {"--entries", "64"}, {"--features", "4"}, {"--device", "auto"}}) {
    INFO(option);
    REQUIRE(shows_default(train, option, value));
  }
  REQUIRE(train.find("default: 8 for moe") != std::string::npos);  // --experts: a default that depends
  const auto sweep = run_cli("sweep --help").out;
  REQUIRE(shows_default(sweep, "--threads-per-job", "1"));
  REQUIRE(shows_default(sweep, "--device", "auto"));
  REQUIRE(shows_default(run_cli("graphs sample --help").out, "--count", "1"));
  REQUIRE(shows_default(run_cli("prove --help").out, "--max-nodes", "10"));
}

// The CUDA backend is a module loaded on demand (models/cuda_module.cpp): the loader's own log of the files
// it opens shows that commands needing no GPU never map cudart or cuBLAS (~200 MB resident), linked or
// dlopen()ed, and that --device cuda does (which also shows the log is read right).
TEST_CASE("main: --help, --version and a CPU run load no CUDA library, --device cuda loads them", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_no_cuda");
  auto loads_cuda = [](const std::string& args) {
    const auto r = run_cli(args, "LD_DEBUG=files");
    INFO(args << " -> " << r.out.substr(0, 2000));
    REQUIRE(r.out.find("file=libc.so.6") != std::string::npos);  // the log is there
    return r.out.find("libcudart") != std::string::npos || r.out.find("libcublas") != std::string::npos;
  };
  const std::string train = "train --task gaussian --model onelayer --n 8 --steps 2 --eval-every 2 --out ";
  REQUIRE_FALSE(loads_cuda("--help"));
  REQUIRE_FALSE(loads_cuda("--version"));
  REQUIRE_FALSE(loads_cuda(train + (dir / "cpu").string() + " --device cpu"));
  if (!std::filesystem::exists("/dev/nvidiactl") && !std::filesystem::exists("/dev/dxg"))  // no driver: auto looks no further
    REQUIRE_FALSE(loads_cuda(train + (dir / "auto").string()));
#ifdef MOESIM_HAVE_CUDA
  REQUIRE(loads_cuda(train + (dir / "cuda").string() + " --device cuda"));  // trains, or says there is no GPU
#endif
  std::filesystem::remove_all(dir);
}
