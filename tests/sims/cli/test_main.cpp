// The command's front door: verbs, help, and one line for a verb that does not exist.
#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("main: an unknown verb or option exits 2 with one line", "[sims][cli]") {
  require_refused({"frobnicate", "train --frobnicate 3", "graphs"});
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
