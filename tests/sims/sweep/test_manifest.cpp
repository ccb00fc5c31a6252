#include <catch2/catch.hpp>
#include <stdlib.h>

#include <cctype>
#include <filesystem>

#include "data_paths.hpp"
#include "sweep/manifest.hpp"
#include "usage_error.hpp"

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
  SweepStats stats{.trained = 3, .reused = 2, .failed = 1, .records_by_commit = {{"0123456789ab", 4}, {"ba9876543210-dirty", 1}},
                   .wall_seconds = 12.5};
  SweepOptions options{.out = "out", .jobs = 2, .threads_per_job = 1, .device = "cpu", .only = "grid"};
  explicit Fixture(const std::string& preset_path) {
    preset = {.name = "tiny", .path = preset_path, .description = "", .hash = "0123456789abcdef", .sections = {section}};
    results = {SectionResult{&preset.sections[0], std::vector<PointResult>(3)}};
  }
};

}  // namespace

TEST_CASE("manifest: the preset, its hash, each section, and this invocation", "[sims][manifest]") {
  const Fixture f("/nowhere/tiny.toml");
  const auto m = sweep_manifest(f.preset, f.options, f.stats, f.results, nullptr);
  REQUIRE(m["preset"] == "tiny");
  REQUIRE(m["preset_file"] == "/nowhere/tiny.toml");  // outside the data folder: absolute
  REQUIRE(m["preset_hash"] == "0123456789abcdef");
  REQUIRE(m["sections"]["grid"]["points"] == 3);
  REQUIRE(m["sections"]["grid"]["csv"] == "grid.csv");
  REQUIRE(m["sections"]["grid"]["seeds"] == nlohmann::json{1, 2});
  REQUIRE(m["invocations"].size() == 1);
  const auto& run = m["invocations"][0];
  REQUIRE(run["runs"] == nlohmann::json{{"trained", 3}, {"reused", 2}, {"failed", 1}, {"verified", 0}});
  REQUIRE(run["records_by_commit"] == nlohmann::json{{"0123456789ab", 4}, {"ba9876543210-dirty", 1}});
  REQUIRE(run["jobs"] == 2);
  REQUIRE(run["device"] == "cpu");
  REQUIRE(run["only"] == "grid");
  REQUIRE(is_utc_time(run["date"]));
  REQUIRE(is_commit(run["commit"]));
  REQUIRE(run["moesim"].get<std::string>().rfind("moesim ", 0) == 0);
}

TEST_CASE("manifest: a rerun appends to the history, an old manifest becomes its first entry", "[sims][manifest]") {
  const Fixture f((fs::path(moesim::sims::data_paths().presets) / "tiny.toml").string());
  const auto first = sweep_manifest(f.preset, f.options, f.stats, f.results, nullptr);
  REQUIRE(first["preset_file"] == "sims/presets/tiny.toml");  // inside the data folder: relative to it
  const auto second = sweep_manifest(f.preset, f.options, f.stats, f.results, first);
  REQUIRE(second["invocations"].size() == 2);
  REQUIRE(second["invocations"][0] == first["invocations"][0]);
  const nlohmann::json old{{"preset", "tiny"}, {"commit", "77f2328"}, {"date", "2026-11-29T10:00:00Z"},
                           {"runs", {{"trained", 445}}}, {"sections", {{"grid", {{"points", 3}}}}}};
  const auto converted = sweep_manifest(f.preset, f.options, f.stats, f.results, old);
  REQUIRE(converted["invocations"].size() == 2);
  REQUIRE(converted["invocations"][0]["commit"] == "77f2328");
  REQUIRE_FALSE(converted["invocations"][0].contains("sections"));
  REQUIRE_THROWS_AS(sweep_manifest(f.preset, f.options, f.stats, f.results, nlohmann::json::array()), UsageError);
}
