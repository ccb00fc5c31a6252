// `moesim data` as a user meets it: bad input refused in one line, --out atomic under SIGKILL, a million
// instances streamed in bounded memory.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

namespace data_cmd_test {

// The peak resident memory (KiB) of `command` run by a child of this test (so no earlier child counts), or
// -1 when it failed.
long peak_rss_kib(const std::string& command) {
  int fd[2];
  REQUIRE(pipe(fd) == 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    const int rc = std::system(command.c_str());
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    const long peak = WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? usage.ru_maxrss : -1;
    (void)!write(fd[1], &peak, sizeof peak);
    _exit(0);
  }
  close(fd[1]);
  long peak = -1;
  (void)!read(fd[0], &peak, sizeof peak);
  close(fd[0]);
  waitpid(pid, nullptr, 0);
  return peak;
}

}  // namespace data_cmd_test

TEST_CASE("data: bad input exits 2 with one line", "[sims][cli]") {
  require_refused({"data --task nosuch",
                   "data --task sraven --features 2",                       // a stream needs --count
                   "data --task sraven --split nosuch --count 1",
                   "data --task phonebook --entries 5 --offset 3 --count 3",  // beyond the split
                   "data --task phonebook --nodes 4",                       // another task's option
                   "data --task phonebook --format csv",
                   "data --task length2 --distribution disjointness --nodes 3",
                   "data --task gaussian --count -1",
                   "data --task gaussian --out ''"});
}

TEST_CASE("data: writes the requested lines, to stdout or whole into --out", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_test_data_cmd");
  auto r = run_cli("data --task length2 --nodes 7 --split test --test-size 9 --format tokens");
  REQUIRE(r.status == 0);
  REQUIRE(count_lines(r.out) == 9);
  r = run_cli("data --task sraven --features 3 --split ood --count 4 --offset 10 --out " + (dir / "ood.jsonl").string());
  REQUIRE(r.status == 0);
  const std::string text = read_text(dir / "ood.jsonl");
  REQUIRE(count_lines(text) == 4);
  REQUIRE(text.rfind("{\"features\":3,", 0) == 0);
}

TEST_CASE("data: --splits lists the task's splits with their sizes", "[sims][cli]") {
  const auto r = run_cli("data --task length2 --nodes 6 --train-size 0 --test-size 9 --confirm-size 4 --splits");
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("train\tunbounded\t") == 0);
  REQUIRE(r.out.find("\ntest\t9\t") != std::string::npos);
  REQUIRE(r.out.find("\nconfirm\t4\t") != std::string::npos);
}

TEST_CASE("data: a killed export leaves no --out file, and the next one cleans up", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_test_data_kill");
  const std::string out = (dir / "train.tsv").string();
  const pid_t pid = fork();
  if (pid == 0) {
    execl(MOESIM_BINARY, MOESIM_BINARY, "data", "--task", "sraven", "--features", "4", "--count", "100000000",
          "--format", "tokens", "--threads", "1", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once its temporary beside --out has grown past 1 MB: mid-write.
  bool writing = false;
  for (int i = 0; i < 600 && !writing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& e : fs::directory_iterator(dir)) writing |= e.path().filename().string().rfind("train.tsv.tmp.", 0) == 0 &&
                                                           fs::file_size(e.path()) > (1 << 20);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  REQUIRE(writing);
  REQUIRE_FALSE(fs::exists(out));
  const auto r = run_cli("data --task sraven --features 4 --count 5 --format tokens --out " + out);
  REQUIRE(r.status == 0);
  REQUIRE(fs::exists(out));
  long files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  REQUIRE(files == 1);  // the killed writer's temporary is gone
}

TEST_CASE("data: a million instances stream in under 100 MB", "[sims][cli]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("not measured under AddressSanitizer: its shadow memory and quarantine, not moesim, decide the "
       "resident memory (570 MB here); the Release suite measures it");
  return;
#endif
  const long kib = data_cmd_test::peak_rss_kib(std::string(MOESIM_BINARY) +
                                               " data --task length2 --distribution disjointness --nodes 16 --train-size 0"
                                               " --count 1000000 --format tokens > /dev/null");
  INFO("peak resident memory " << kib << " KiB");
  REQUIRE(kib > 0);
  REQUIRE(kib < 100 * 1024);
}
