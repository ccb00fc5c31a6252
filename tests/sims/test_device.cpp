#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_run.hpp"
#include "usage_error.hpp"
#include "device.hpp"
#include "models/device_info.hpp"

using namespace moesim::sims;
using namespace moesim::testing;

TEST_CASE("device: cpu always, cuda when there is a GPU, else a usage error saying why", "[sims][device]") {
  REQUIRE(make_backend("cpu")->name() == "cpu");
  REQUIRE_THROWS_WITH(make_backend("tpu"), Catch::Contains("accepted: cpu, cuda"));
  if (!moesim::models::cuda_devices().empty()) {
    REQUIRE(make_backend("cuda")->name() == "cuda");
  } else if (moesim::models::cuda_compiled()) {
    REQUIRE_THROWS_AS(make_backend("cuda"), UsageError);
    REQUIRE_THROWS_WITH(make_backend("cuda"), Catch::Contains("no CUDA GPU"));
  } else {
    REQUIRE_THROWS_WITH(make_backend("cuda"), Catch::Contains("built without CUDA"));
  }
}

TEST_CASE("device: bf16 is a GPU precision: refused on the CPU with one line, made on a GPU that has it",
          "[sims][device]") {
  REQUIRE_THROWS_AS(make_backend("cpu", "bf16"), UsageError);
  REQUIRE_THROWS_WITH(make_backend("cpu", "bf16"), Catch::Contains("the CPU backend computes in fp32"));
  REQUIRE_THROWS_WITH(make_backend("cpu", "fp8"), Catch::Contains("accepted: fp32, bf16"));
  REQUIRE(make_backend("cpu", "fp32")->name() == "cpu");
  const auto gpus = moesim::models::cuda_devices();
  if (!gpus.empty() && gpus[0].sm_major >= 8) REQUIRE(make_backend("cuda", "bf16")->name() == "cuda");
  if (!gpus.empty() && gpus[0].sm_major < 8) REQUIRE_THROWS_WITH(make_backend("cuda", "bf16"), Catch::Contains("8.0"));
}

TEST_CASE("device: auto is the GPU when one is visible, else the CPU, and cpu and cuda stay as asked", "[sims][device]") {
  const bool gpu = moesim::models::cuda_compiled() && !moesim::models::cuda_devices().empty();  // the slow way
  REQUIRE(resolve_device("auto") == (gpu ? "cuda" : "cpu"));
  REQUIRE(resolve_device("cpu") == "cpu");
  REQUIRE(resolve_device("cuda") == "cuda");  // make_backend says whether it can be had
  REQUIRE(make_backend("auto")->name() == resolve_device("auto"));
}

// The commands' default: a train run and a sweep name the device that ran them, in the record and the manifest.
TEST_CASE("device: train and sweep default to auto and record the resolved device", "[sims][device]") {
  const auto dir = fresh_dir("moesim_test_device_auto");
  const std::string expected = resolve_device("auto");
  const auto train = run_cli("train --task gaussian --model onelayer --n 8 --steps 2 --eval-every 2 --out " +
                             (dir / "run").string());
  INFO(train.out);
  REQUIRE(train.status == 0);
  const auto record = nlohmann::json::parse(read_text(dir / "run" / "run.json"));
  REQUIRE(record["device"] == expected);
  REQUIRE(record["config"]["device"] == expected);
  write_text(dir / "p.toml", "[g]\nkind = \"shortest-path\"\nseeds = [1]\n"
                             "fixed = { task = \"gaussian\", model = \"onelayer\", n = 8, steps = 2, eval-every = 2 }\n");
  const auto sweep = run_cli("sweep " + (dir / "p.toml").string() + " --out " + (dir / "sweep").string());
  INFO(sweep.out);
  REQUIRE(sweep.status == 0);
  REQUIRE(sweep.out.find("threads on " + expected) != std::string::npos);
  REQUIRE(nlohmann::json::parse(read_text(dir / "sweep" / "manifest.json"))["invocations"].back()["device"] == expected);
  std::filesystem::remove_all(dir);
}

// In a child process: the module is loaded once per process, so this one's cannot be swapped.
TEST_CASE("device: a CUDA module that is missing, not a module or not loadable is one line naming it, exit 2",
          "[sims][device]") {
  const std::string train = "train --task gaussian --model onelayer --steps 2 --device cuda";
  const auto dir = fresh_dir("moesim_test_device_module");
  write_text(dir / "text.so", "not a shared object\n");
  const std::string text_so = (dir / "text.so").string();
  for (const std::string& module : {std::string("/nonexistent/libmoesim_cuda.so"), text_so,
                                    std::string("libm.so.6")}) {  // a library, without moesim's entry point
    const auto r = run_cli(train, "MOESIM_CUDA_MODULE=" + module);
    INFO(r.out);
    REQUIRE(r.status == 2);
    REQUIRE(count_lines(r.out) == 1);
#ifdef MOESIM_HAVE_CUDA
    REQUIRE(r.out.rfind("moesim: --device cuda: ", 0) == 0);
    REQUIRE(r.out.find("the CUDA module " + module) != std::string::npos);
#else
    REQUIRE(r.out.find("built without CUDA") != std::string::npos);
#endif
  }
  std::filesystem::remove_all(dir);
}
