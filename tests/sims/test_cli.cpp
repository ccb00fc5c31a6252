// The moesim command as a user meets it: exit status 2 and one line for bad input, nothing written.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

struct Result {
  int status;
  std::string out;
};

Result run(const std::string& args) {
  const std::string cmd = std::string(MOESIM_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  Result r{-1, ""};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.out += buf;
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("cli: bad values exit 2 with one line", "[sims][cli]") {
  for (const char* args : {
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
           "frobnicate",
           "prove --only nope",
           "prove --max-nodes 40",
           "prove protocol --checkpoint /nonexistent.safetensors",
           "train --task phonebook --model onelayer",
           "train --task length2 --model dense",
           "train --task phonebook --model dense --d 64 --heads 3",
           "train --task phonebook --model moe --experts 2 --top-k 3",
           "train --task gaussian --model onelayer --lr -1",
           "train --task gaussian --model onelayer --lr nan",
           "train --task length2 --model onelayer --p inf",
           "train --task phonebook --model dense --config /nonexistent.toml",
           "train --task sraven --model onelayer",
           "train --task length2 --model onelayer --out /dev/null",
           "sweep /nonexistent.toml",
           "sweep nosuchpreset",
           "sweep quick --only nosuchfigure",
           "sweep quick --jobs 0",
           "sraven sample --split dev",
           "sraven sample --features 0",
           "sraven sample --format csv",
           "plot /nonexistent",
       }) {
    const auto r = run(args);
    INFO(args << " -> " << r.out);
    REQUIRE(r.status == 2);
    REQUIRE(lines(r.out) == 1);
    REQUIRE(r.out.rfind("moesim: ", 0) == 0);
  }
}

TEST_CASE("cli: a failed sample writes no file", "[sims][cli]") {
  const auto path = std::filesystem::temp_directory_path() / "moesim_cli_nothing.jsonl";
  std::filesystem::remove(path);
  const auto r = run("graphs sample --task connectivity --nodes 5 --p 1 --count 2 --out " + path.string());
  REQUIRE(r.status == 2);
  REQUIRE_FALSE(std::filesystem::exists(path));
}

TEST_CASE("cli: help exits 0 and shows an example", "[sims][cli]") {
  for (const char* verb : {"graphs sample", "graphs calibrate", "train", "prove", "prove protocol", "sweep", "plot",
                           "sraven sample", "bench graphs", "bench train"}) {
    const auto r = run(std::string(verb) + " --help");
    INFO(verb);
    REQUIRE(r.status == 0);
    REQUIRE((r.out.find("Example:") != std::string::npos || r.out.find("Examples:") != std::string::npos));
  }
}

TEST_CASE("cli: sample writes the requested number of lines", "[sims][cli]") {
  const auto r = run("graphs sample --task length2 --nodes 8 --p 0.3 --count 5 --seed 3");
  REQUIRE(r.status == 0);
  REQUIRE(lines(r.out) == 5);
}

TEST_CASE("cli: train reads a TOML config, refuses unknown keys, and writes its record", "[sims][cli]") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / "moesim_cli_train";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir / "bad.toml").c_str(), "w");
    std::fputs("task = \"gaussian\"\nmodel = \"onelayer\"\nlearning_rate = 0.1\n", f);
    std::fclose(f);
    f = std::fopen((dir / "good.toml").c_str(), "w");
    std::fputs("task = \"gaussian\"\nmodel = \"onelayer\"\nn = 16\nsteps = 50\n", f);
    std::fclose(f);
  }
  const auto bad = run("train --config " + (dir / "bad.toml").string() + " --out " + (dir / "bad").string());
  REQUIRE(bad.status == 2);
  REQUIRE_FALSE(fs::exists(dir / "bad" / "run.json"));
  const auto good = run("train --config " + (dir / "good.toml").string() + " --out " + (dir / "good").string());
  INFO(good.out);
  REQUIRE(good.status == 0);
  REQUIRE(fs::exists(dir / "good" / "run.json"));
  REQUIRE(fs::exists(dir / "good" / "model.safetensors"));
  fs::remove_all(dir);
}

TEST_CASE("cli: prove runs its checks and writes the CSV", "[sims][cli]") {
  const auto csv = std::filesystem::temp_directory_path() / "moesim_proofs.csv";
  std::filesystem::remove(csv);
  const auto r = run("prove --only dense-length2 --max-nodes 6 --out " + csv.string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("pass") != std::string::npos);
  REQUIRE(std::filesystem::exists(csv));
  std::filesystem::remove(csv);
}

TEST_CASE("cli: prove protocol runs on a trained one-layer checkpoint", "[sims][cli]") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / "moesim_cli_protocol";
  fs::remove_all(dir);
  const auto train = run("train --task length2 --model onelayer --nodes 6 --m 2 --heads 1 --steps 100 --out " + dir.string());
  REQUIRE(train.status == 0);
  const auto r = run("prove protocol --checkpoint " + (dir / "model.safetensors").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(r.out.find("(pass)") != std::string::npos);
  REQUIRE(r.out.find("inputs") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("cli: a preset with a typo is refused before any run, and nothing is written", "[sims][cli]") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / "moesim_test_cli_preset";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::FILE* f = std::fopen((dir / "typo.toml").c_str(), "w");
    std::fputs("[a]\nkind = \"shortest-path\"\nseeds = [1]\nfixed = { task = \"gaussian\", model = \"onelayer\", lrr = 0.1 }\n", f);
    std::fclose(f);
  }
  const auto r = run("sweep " + (dir / "typo.toml").string() + " --out " + (dir / "out").string());
  INFO(r.out);
  REQUIRE(r.status == 2);
  REQUIRE(lines(r.out) == 1);
  REQUIRE(r.out.find("typo.toml:4: lrr") != std::string::npos);
  REQUIRE_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("cli: sraven sample prints one JSON object per problem", "[sims][cli]") {
  const auto r = run("sraven sample --features 3 --count 4 --split ood --seed 2");
  REQUIRE(r.status == 0);
  REQUIRE(lines(r.out) == 4);
  REQUIRE(r.out.find("\"panels\":") != std::string::npos);
  REQUIRE(r.out.find("\"perms\":") != std::string::npos);
  REQUIRE(r.out.find("\"target\":") != std::string::npos);
}
