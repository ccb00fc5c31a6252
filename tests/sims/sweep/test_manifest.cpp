#include <catch2/catch.hpp>
#include <stdlib.h>

#include <cctype>
#include <filesystem>

#include "sweep/manifest.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

namespace {

// "2026-11-23T03:35:39Z"
bool is_utc_time(const std::string& s) {
  const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != shape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != shape[i]) return false;
  return true;
}

// A 12-digit short commit, "-dirty" when tracked files differ from it, or "unknown" (no git).
bool is_commit(std::string s) {
  if (s == "unknown") return true;
  if (s.size() == 18 && s.compare(12, 6, "-dirty") == 0) s.resize(12);
  return s.size() == 12 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

struct Fixture {
  Section section{.name = "grid", .kind = "memorization", .title = "Capacity", .seeds = {1, 2}};
  Preset preset;
  std::vector<SectionResult> results;
  SweepStats stats{.trained = 3, .reused = 2, .failed = 1, .wall_seconds = 12.5};
  SweepOptions options{.out = "out", .jobs = 2, .threads_per_job = 1, .device = "cpu", .only = "grid"};
  explicit Fixture(const std::string& preset_path) {
    preset = {.name = "tiny", .path = preset_path, .description = "", .hash = "0123456789abcdef", .sections = {section}};
    results = {SectionResult{&preset.sections[0], std::vector<PointResult>(3)}};
  }
};

}  // namespace

TEST_CASE("manifest: records the preset, its hash, the options, the counts and each section", "[sims][manifest]") {
  const Fixture f("/nowhere/tiny.toml");
  const auto m = sweep_manifest(f.preset, f.options, f.stats, f.results);
  REQUIRE(m["preset"] == "tiny");
  REQUIRE(m["preset_file"] == "/nowhere/tiny.toml");  // outside the repository: absolute
  REQUIRE(m["preset_hash"] == "0123456789abcdef");
  REQUIRE(m["runs"] == nlohmann::json{{"trained", 3}, {"reused", 2}, {"failed", 1}});
  REQUIRE(m["jobs"] == 2);
  REQUIRE(m["device"] == "cpu");
  REQUIRE(m["only"] == "grid");
  REQUIRE(m["sections"]["grid"]["points"] == 3);
  REQUIRE(m["sections"]["grid"]["csv"] == "grid.csv");
  REQUIRE(m["sections"]["grid"]["seeds"] == nlohmann::json{1, 2});
  REQUIRE(is_utc_time(m["date"]));
  REQUIRE(is_commit(m["commit"]));
}

TEST_CASE("manifest: a preset inside the repository is named relative to it, no git gives commit unknown",
          "[sims][manifest]") {
  const auto root = fs::temp_directory_path() / "moesim_test_manifest";
  fs::create_directories(root / "presets");
  setenv("MOESIM_ROOT", root.c_str(), 1);
  const Fixture f((root / "presets" / ".." / "presets" / "tiny.toml").string());
  const auto m = sweep_manifest(f.preset, f.options, f.stats, f.results);
  unsetenv("MOESIM_ROOT");
  REQUIRE(m["preset_file"] == "presets/tiny.toml");
  REQUIRE(m["commit"] == "unknown");
}
