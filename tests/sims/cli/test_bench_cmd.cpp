// The benchmarks' plumbing, not their numbers: each runs briefly and prints its table (timings are
// for `scripts/bench`, never asserted here).
#include <catch2/catch.hpp>

#include "cli_run.hpp"
#include "models/device_info.hpp"

using namespace moesim::testing;

TEST_CASE("bench: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({"bench graphs --nodes 2", "bench graphs --nodes 10 --mean-path 3.5", "bench graphs --seconds 0", "bench train --steps 0",
                   "bench train --device tpu", "bench train --threads 0",
                   "bench calibrate --nodes 2", "bench calibrate --nodes 10 --mean-path 3.5",
                   "bench attention --d 10 --heads 4"});
}

TEST_CASE("bench: --device cuda without a GPU is one line, with no header before it", "[sims][cli]") {
  if (!moesim::models::cuda_devices().empty()) return;  // with a GPU these run (scripts/gpu-check)
  require_refused({"bench train --device cuda", "bench onelayer --device cuda", "bench attention --device cuda"});
}

TEST_CASE("bench: graphs and train run without their peers and print a row per configuration", "[sims][cli]") {
  const auto g = run_cli("bench graphs --nodes 10 --mean-path 2 --seconds 0.1 --no-peer");
  INFO(g.out);
  REQUIRE(g.status == 0);
  REQUIRE(g.out.find("instances/s") != std::string::npos);
  const auto t = run_cli("bench train --threads 1 --steps 1 --warmup 0 --no-peer");
  INFO(t.out);
  REQUIRE(t.status == 0);
  REQUIRE(t.out.find("tok/s") != std::string::npos);
  REQUIRE(t.out.find("moe d=256 L=4 E=8 k=2") != std::string::npos);  // the last configuration
}

TEST_CASE("bench: calibrate prints a row per node count with p and the mean's standard error", "[sims][cli]") {
  const auto r = run_cli("bench calibrate --nodes 20,30 --mean-path 2.5");
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("mean_path ± se") != std::string::npos);
  REQUIRE(r.out.find("\n    30 ") != std::string::npos);  // the last row
}

TEST_CASE("bench: attention prints both paths, their ratio and their difference", "[sims][cli]") {
  const auto r = run_cli("bench attention --batch 2 --tokens 16 --d 16 --heads 2 --repeats 1");
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("materialised") != std::string::npos);
  REQUIRE(r.out.find("ratio fused/materialised") != std::string::npos);
}
