// Draws with results/plot.py under /usr/bin/python3 + matplotlib (scripts/setup.sh installs them).
#include <catch2/catch.hpp>

#include "cli_run.hpp"

using namespace moesim::testing;
namespace fs = std::filesystem;

namespace {
const fs::path kQuick = fs::path(MOESIM_SOURCE_DIR) / "results" / "quick";
}

TEST_CASE("plot: draws a PNG and an SVG per sweep CSV", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_plot");
  fs::copy_file(kQuick / "width.csv", dir / "width.csv");
  fs::copy_file(kQuick / "topk.csv", dir / "topk.csv");
  fs::copy_file(kQuick / "phonebook.csv", dir / "phonebook.csv");  // a capacity figure with budget twins
  // and one whose totals lie within x3 (two matched models): its log axis is widened, not left crowded
  fs::copy_file(kQuick.parent_path() / "capacity" / "phonebook4x.csv", dir / "phonebook4x.csv");
  const auto r = run_cli("plot " + dir.string() + " --out " + (dir / "figs").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  for (const char* f : {"width", "topk", "phonebook", "phonebook4x"})
    for (const char* ext : {".png", ".svg"}) REQUIRE(fs::file_size(dir / "figs" / (std::string(f) + ext)) > 1000);
  REQUIRE(std::distance(fs::directory_iterator(dir / "figs"), fs::directory_iterator()) == 8);  // no temp files
  fs::remove_all(dir);
}

TEST_CASE("plot: no folder, no sweep CSV, a malformed or truncated CSV exit 2 with one line, nothing drawn",
          "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_plot_bad");
  for (const char* sub : {"empty", "other", "malformed", "truncated"}) fs::create_directories(dir / sub);
  write_text(dir / "other" / "notes.csv", "a,b\n1,2\n");
  std::ifstream in(kQuick / "width.csv");
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto second_row = csv.find('\n', csv.find('\n') + 1) + 1;
  std::string malformed = csv;  // the second row's value_majority (the plotted width) becomes text
  const auto fields_before = std::count(csv.begin(), csv.begin() + csv.find("value_majority"), ',');
  size_t at = second_row;
  for (long i = 0; i < fields_before; ++i) at = csv.find(',', at) + 1;
  malformed.insert(malformed.begin() + long(at), 'x');
  write_text(dir / "malformed" / "width.csv", malformed);
  fs::copy_file(kQuick / "topk.csv", dir / "malformed" / "topk.csv");  // good, but must not be drawn either
  write_text(dir / "truncated" / "width.csv", csv.substr(0, second_row + 40));
  write_text(dir / "a_file", "x\n");
  require_refused({"plot " + kQuick.string() + " --out " + (dir / "a_file").string(),           // --out is a file
                   "plot " + kQuick.string() + " --out " + (dir / "a_file" / "sub").string()});  // under a file
  require_refused({"plot /nonexistent", "plot " + (dir / "empty").string(), "plot " + (dir / "other").string(),
                   "plot " + (dir / "malformed").string() + " --out " + (dir / "figs").string(),
                   "plot " + (dir / "truncated").string() + " --out " + (dir / "figs").string()});
  REQUIRE_FALSE(fs::exists(dir / "figs"));
  REQUIRE_FALSE(fs::exists(dir / "malformed" / "topk.png"));
  fs::remove_all(dir);
}

TEST_CASE("plot: --run draws a run's curves and routing, --curves a sweep's records, bad records exit 2", "[sims][cli]") {
  const auto dir = fresh_dir("moesim_cli_plot_run");
  const auto trained = run_cli("train --task phonebook --model moe --experts 3 --top-k 1 --d 8 --heads 2 --entries 6 "
                               "--epochs 4 --batch 4 --eval-every 2 --threads 1 --out " + (dir / "run").string());
  INFO(trained.out);
  REQUIRE(trained.status == 0);
  const auto r = run_cli("plot --run " + (dir / "run").string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  REQUIRE(fs::file_size(dir / "run" / "run.curves.png") > 1000);
  // A sweep folder's records, one section: the curves figure beside the CSV figures.
  fs::create_directories(dir / "sweep" / "records" / "book");
  fs::copy_file(dir / "run" / "run.json", dir / "sweep" / "records" / "book" / "a.json");
  fs::copy_file(kQuick / "topk.csv", dir / "sweep" / "topk.csv");
  const auto c = run_cli("plot " + (dir / "sweep").string() + " --curves");
  INFO(c.out);
  REQUIRE(c.status == 0);
  REQUIRE(fs::file_size(dir / "sweep" / "book.curves.png") > 1000);
  write_text(dir / "bad.json", "{\"result\": {}}\n");
  write_text(dir / "sweep" / "records" / "book" / "b.json", "not json");
  require_refused({"plot --run " + (dir / "bad.json").string(), "plot --run " + (dir / "missing").string(),
                   "plot " + (dir / "sweep").string() + " --curves --out " + (dir / "figs").string(), "plot"});
  REQUIRE_FALSE(fs::exists(dir / "figs"));
  fs::remove_all(dir);
}
