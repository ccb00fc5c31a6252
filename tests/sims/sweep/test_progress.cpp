#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sweep/progress.hpp"

using namespace moesim::sims;

namespace {

// Runs `body` with stderr sent to a file; returns what was written. A Progress made inside sees a file,
// not a terminal, so it prints one line per finished unit.
template <class Body>
std::string capture_stderr(Body body) {
  char path[] = "/tmp/moesim_progress_XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::fflush(stderr);
  const int saved = dup(2);
  dup2(fd, 2);
  body();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  std::remove(path);
  return text.str();
}

}  // namespace

TEST_CASE("progress: counts runs trained, reused and failed, a line per unit and a final line",
          "[sims][progress]") {
  long trained = -1, reused = -1, failed = -1;
  const std::string text = capture_stderr([&] {
    Progress p(4);
    p.run_started();
    p.run_started();
    p.run_finished(true);
    p.unit_finished();
    p.run_reused();
    p.unit_finished();
    p.run_finished(false);
    p.unit_finished();
    trained = p.trained(), reused = p.reused(), failed = p.failed();
  });
  REQUIRE(trained == 1);
  REQUIRE(reused == 1);
  REQUIRE(failed == 1);
  std::istringstream lines(text);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  REQUIRE(got.size() == 4);  // three units, then the final line
  CHECK_THAT(got[0], Catch::StartsWith("[######..................] 1/4 units  trained 1  reused 0  running 1  failed 0  ETA"));
  CHECK_THAT(got[1], Catch::Contains("2/4 units  trained 1  reused 1  running 1  failed 0"));
  CHECK_THAT(got[2], Catch::Contains("3/4 units  trained 1  reused 1  running 0  failed 1"));
  CHECK_THAT(got[3], Catch::StartsWith("[##################......] 3/4") && Catch::Contains("done in"));
}
