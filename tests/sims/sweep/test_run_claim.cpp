// Claims: one holder at a time, released by the holder's death, however it dies.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "sweep/run_claim.hpp"
#include "../../scratch_dir.hpp"

using moesim::sims::RunClaim;
namespace fs = std::filesystem;

TEST_CASE("run claim: held once, free again when let go, gone when finished", "[sims][run_claim]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_claim");
  const auto file = dir / "run.claim";
  {
    auto a = RunClaim::take(file, false);
    REQUIRE(a);
    REQUIRE_FALSE(RunClaim::take(file, false));  // flock conflicts between open files, also in one process
  }
  auto b = RunClaim::take(file, false);  // the holder let go (as a run that failed): taken over
  REQUIRE(b);
  b->finish();
  REQUIRE_FALSE(fs::exists(file));
  REQUIRE_THROWS_WITH(RunClaim::take(dir / "missing" / "run.claim", false), Catch::Contains("cannot create"));
}

TEST_CASE("run claim: a claim of a killed process is taken over", "[sims][run_claim]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_claim_killed");
  const auto file = dir / "run.claim";
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  if (child == 0) {  // holds the claim as RunClaim does (raw calls only, after fork) until killed
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT, 0644);
    char c = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    for (;;) ::pause();
  }
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  REQUIRE(c == 'y');
  REQUIRE_FALSE(RunClaim::take(file, false));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  REQUIRE(RunClaim::take(file, true));  // would block forever if the dead process still held it
}
