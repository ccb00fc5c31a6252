#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "stream_out.hpp"
#include "../scratch_dir.hpp"

using moesim::sims::StreamOut;
namespace fs = std::filesystem;

namespace {

long entries(const fs::path& dir) { return std::distance(fs::directory_iterator(dir), fs::directory_iterator()); }

}  // namespace

TEST_CASE("stream out: a file appears whole at commit, not at all without it", "[sims][stream_out]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_stream_out");
  const auto file = dir / "data.jsonl";
  std::ofstream(dir / "data.jsonl.tmp.999999999") << "half of a killed export";  // its writer is gone
  {
    StreamOut out(file);
    REQUIRE(entries(dir) == 1);  // the killed writer's temporary went; ours is the one entry
    out.write("a\n");
    out.write("b\n");
    REQUIRE_FALSE(fs::exists(file));
    out.commit();
  }
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(text.str() == "a\nb\n");
  REQUIRE(entries(dir) == 1);
  {
    StreamOut out(dir / "never.jsonl");
    out.write("lost");
  }  // an error before commit: nothing left
  REQUIRE(entries(dir) == 1);
  REQUIRE_THROWS_WITH(StreamOut(dir / "missing" / "x.jsonl"), Catch::Contains("cannot create"));
}
