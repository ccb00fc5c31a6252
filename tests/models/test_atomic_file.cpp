#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "models/atomic_file.hpp"

namespace fs = std::filesystem;

TEST_CASE("write_file_atomic: writes whole contents, replaces, leaves no temp file", "[models][atomic_file]") {
  const fs::path dir = fs::temp_directory_path() / "moesim_test_atomic";
  fs::remove_all(dir);
  fs::create_directories(dir);
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
  fs::remove_all(dir);
}
