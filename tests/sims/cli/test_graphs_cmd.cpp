#include <catch2/catch.hpp>
#include <algorithm>

#include "cli_run.hpp"

using namespace moesim::testing;

TEST_CASE("graphs: bad values exit 2 with one line", "[sims][cli]") {
  require_refused({
      "graphs sample --task shortest-path --nodes 2",
      "graphs sample --task shortest-path --nodes 10 --p 1.5",
      "graphs sample --task shortest-path --nodes 10 --count 0",
      "graphs sample --task triangle --nodes 10",
      "graphs sample --task length2 --nodes 10 --format csv",
      "graphs sample --task length2 --nodes 10 --p 0.2 --mean-path 3",
      "graphs sample --task shortest-path --nodes 5 --mean-path 3.5",
      "graphs sample --task connectivity --nodes 5 --p 1 --count 2",
      "graphs calibrate --nodes 6 --mean-path 3.5",
      "graphs calibrate",
      "graphs sample --task length2 --nodes 10 --p 0.2 --min-hops 2",
      "graphs sample --task shortest-path --nodes 6 --p 0.5 --min-hops 6",
      "graphs sample --task shortest-path --nodes 10 --min-hops 0",
  });
}

TEST_CASE("graphs: a failed sample writes no file", "[sims][cli]") {
  const auto path = fresh_dir("moesim_cli_graphs") / "nothing.jsonl";
  const auto r = run_cli("graphs sample --task connectivity --nodes 5 --p 1 --count 2 --out " + path.string());
  REQUIRE(r.status == 2);
  REQUIRE_FALSE(std::filesystem::exists(path));
}

TEST_CASE("graphs: sample writes the requested number of lines", "[sims][cli]") {
  const auto r = run_cli("graphs sample --task length2 --nodes 8 --p 0.3 --count 5 --seed 3");
  REQUIRE(r.status == 0);
  REQUIRE(count_lines(r.out) == 5);
}

TEST_CASE("graphs: --min-hops 2 writes no one-hop query", "[sims][cli]") {
  const auto r = run_cli("graphs sample --task shortest-path --nodes 9 --p 0.3 --min-hops 2 --count 40 --format tokens");
  REQUIRE(r.status == 0);
  REQUIRE(count_lines(r.out) == 40);
  const auto one_hop = run_cli("graphs sample --task shortest-path --nodes 9 --p 0.3 --count 40 --format jsonl");
  REQUIRE(one_hop.out.find("\"path\":[") != std::string::npos);
  const auto far = run_cli("graphs sample --task shortest-path --nodes 9 --p 0.3 --min-hops 2 --count 40 --format jsonl");
  for (size_t at = far.out.find("\"path\":["); at != std::string::npos; at = far.out.find("\"path\":[", at + 1)) {
    const auto end = far.out.find(']', at);
    REQUIRE(std::count(far.out.begin() + long(at), far.out.begin() + long(end), ',') >= 2);  // 3+ vertices
  }
}

TEST_CASE("graphs: calibrate prints p, the mean with its standard error, and the sample", "[sims][cli]") {
  const auto r = run_cli("graphs calibrate --nodes 30 --mean-path 2.5 --graphs 50 --sources 10");
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.rfind("p 0.", 0) == 0);
  REQUIRE(r.out.find(" ± ") != std::string::npos);
  REQUIRE(r.out.find("graphs 50  sources 10") != std::string::npos);
  const auto one = run_cli("graphs calibrate --nodes 30 --mean-path 2.5 --graphs 1 --sources 1");
  REQUIRE(one.status == 0);
  REQUIRE(one.out.find("± n/a") != std::string::npos);
}
