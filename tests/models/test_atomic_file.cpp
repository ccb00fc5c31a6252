#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "models/atomic_file.hpp"
#include "../scratch_dir.hpp"

namespace fs = std::filesystem;

TEST_CASE("write_file_atomic: writes whole contents, replaces, leaves no temp file", "[models][atomic_file]") {
  const fs::path dir = moesim::testing::fresh_dir("moesim_test_atomic");
  const fs::path file = dir / "record.json";
  moesim::models::write_file_atomic(file, "first");
  moesim::models::write_file_atomic(file, "second, longer");
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  REQUIRE(ss.str() == "second, longer");
  REQUIRE(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  REQUIRE_THROWS_WITH(moesim::models::write_file_atomic(dir / "missing" / "x", "y"),
                      Catch::Contains("cannot create"));
}

TEST_CASE("atomic file: a temporary is stale when its writer of this host is gone", "[models][atomic_file]") {
  using moesim::models::is_stale_temp;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  for (char* c = host; *c; ++c)
    if (*c == '.' || *c == '/') *c = '_';  // as temp_suffix() writes it
  const std::string here(host), me = std::to_string(::getpid());
  REQUIRE_FALSE(is_stale_temp("run.json"));
  REQUIRE_FALSE(is_stale_temp("run.json" + moesim::models::temp_suffix()));  // this process: alive
  REQUIRE_FALSE(is_stale_temp("run.json.tmp." + me));                         // the older form, alive
  REQUIRE(is_stale_temp("run.json.tmp.999999999"));                            // no such process
  REQUIRE(is_stale_temp("run.json.tmp." + here + ".999999999"));
  REQUIRE_FALSE(is_stale_temp("run.json.tmp.some-other-node.999999999"));  // not ours to judge
  REQUIRE_FALSE(is_stale_temp("run.json.tmp.x1"));                          // not a pid
  const fs::path dir = moesim::testing::fresh_dir("moesim_test_stale");
  fs::create_directories(dir / "sub");
  for (const auto& f : {dir / "a.csv.tmp.999999999", dir / "sub" / "b.json.tmp.999999999", dir / "c.csv"})
    std::ofstream(f) << "x";
  REQUIRE(moesim::models::remove_stale_temps(dir, false) == 1);
  REQUIRE(moesim::models::remove_stale_temps(dir, true) == 1);
  REQUIRE(fs::exists(dir / "c.csv"));
}
