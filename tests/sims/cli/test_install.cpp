// `cmake --install`: the installed tree, moved elsewhere, finds its presets and plotting script beside the
// binary, sweeps a preset and draws it, and loads its CUDA module; nothing of the source tree is read.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli_run.hpp"

namespace fs = std::filesystem;
using namespace moesim::testing;

TEST_CASE("install: an installed tree, moved away, sweeps a preset and draws its figure", "[sims][cli]") {
  const auto root = fresh_dir("moesim_test_install");
  const std::string install = "cmake --install " + std::string(MOESIM_BUILD_DIR) + " --prefix " +
                              (root / "prefix").string() + " > " + (root / "install.log").string() + " 2>&1";
  REQUIRE(std::system(install.c_str()) == 0);
  fs::rename(root / "prefix", root / "moved");  // relocatable: nothing points back to where it was installed
  const auto bin = root / "moved" / "bin" / "moesim";
  const auto share = root / "moved" / "share" / "moesim";
  REQUIRE(fs::exists(share / "presets" / "quick.toml"));
  REQUIRE(fs::exists(share / "plot.py"));
  REQUIRE(fs::exists(share / "peers" / "torch_train.py"));
  REQUIRE(fs::exists(share / "examples" / "run.toml"));
  auto run = [&](const std::string& args, const std::string& env = "") {
    CliResult r{-1, ""};
    const std::string cmd = "cd " + root.string() + " && env -u MOESIM_ROOT -u MOESIM_CUDA_MODULE " + env + " " +
                            bin.string() + " " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe)) r.out += buf;
    const int raw = pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
  };
  const auto version = run("--version");
  INFO(version.out);
  REQUIRE(version.out.find(fs::weakly_canonical(share).string() + " (installed beside the binary)") != std::string::npos);
  REQUIRE(run("sweep quick --dry-run").out.find(fs::weakly_canonical(share / "presets" / "quick.toml").string()) !=
          std::string::npos);
  write_text(root / "tiny.toml", R"([g]
kind = "shortest-path"
seeds = [1, 2]
fixed = { task = "gaussian", model = "onelayer", n = 16, steps = 10, eval-every = 10 }
axes = { experts = [0, 2] }
)");
  const auto sweep = run("sweep tiny.toml --out out --jobs 1");
  INFO(sweep.out);
  REQUIRE(sweep.status == 0);
  REQUIRE(fs::exists(root / "out" / "g.csv"));
  const auto plot = run("plot out");
  INFO(plot.out);
  REQUIRE(plot.status == 0);
  REQUIRE(fs::exists(root / "out" / "g.png"));
#ifdef MOESIM_HAVE_CUDA
  // The CUDA module goes to lib/, where the moved binary loads it from (GPU or not, the module loads).
  const auto module = fs::weakly_canonical(root / "moved" / "lib" / "libmoesim_cuda.so");
  REQUIRE(fs::exists(module));
  const auto cuda = run("train --task gaussian --model onelayer --n 8 --steps 2 --out cuda --device cuda", "LD_DEBUG=files");
  INFO(cuda.out.substr(0, 3000));
  REQUIRE(cuda.out.find("file=" + module.string()) != std::string::npos);
  REQUIRE(cuda.out.find("CUDA module") == std::string::npos);
#endif
  fs::remove_all(root);
}
