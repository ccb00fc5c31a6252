// Records: one file per run, found again by its options; temporaries of dead writers are swept away.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../cli/cli_run.hpp"
#include "../../scratch_dir.hpp"
#include "models/atomic_file.hpp"
#include "sweep/record_store.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

TEST_CASE("record store: write, find by identity, and refuse a record that is not this run's", "[sims][record_store]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_records");
  RecordStore store(dir);
  const nlohmann::json config_a{{"task", "gaussian"}, {"seed", 1}}, config_b{{"task", "gaussian"}, {"seed", 2}};
  const CodeVersion code{2, 1, 1, 1};
  RunRecord record;
  record.config = config_a, record.code = code, record.id = run_identity(config_a, code);
  record.result.status = "completed";
  record.result.evals.push_back({.step = 1, .loss = NAN, .train_metric = 0.5, .test_metric = 0.25});
  const std::string b = run_identity(config_b, code);
  REQUIRE(record.id != b);
  REQUIRE_FALSE(store.find("s", record.id));
  store.write("s", record);
  const auto found = store.find("s", record.id);
  REQUIRE(found);
  REQUIRE(found->result.status == "completed");
  REQUIRE(found->result.last().test_metric == 0.25);
  REQUIRE(std::isnan(found->result.last().loss));  // written as null, read back as NaN
  REQUIRE(store.count("s") == 1);
  // Another code version is another run: its identity finds nothing.
  REQUIRE_FALSE(store.find("s", run_identity(config_a, CodeVersion{3, 1, 1, 1})));
  // A file under b's name holding a's record, and a torn file: both refused with the file named.
  fs::copy_file(store.path("s", record.id), store.path("s", b));
  REQUIRE_THROWS_WITH(store.find("s", b), Catch::Contains("not the record of the run it is named for"));
  std::ofstream(store.path("s", b)) << "{\"schema\": 3, \"options\":";
  try {
    store.find("s", b);
    FAIL("accepted a torn record");
  } catch (const UsageError& e) {
    REQUIRE(std::string(e.what()).find(store.path("s", b).string()) == 0);
  }
  // A record of another schema (moesim before the typed record wrote none): refused, naming the file.
  std::ofstream(store.path("s", b)) << "{\"options\": {\"seed\": \"2\"}, \"result\": {}}";
  REQUIRE_THROWS_WITH(store.find("s", b), Catch::Contains(store.path("s", b).string() + ": a run record of schema 1"));
}

TEST_CASE("record store: a run another section holds is found there and copied into this one's folder", "[sims][record_store]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_records_shared");
  RecordStore store(dir);
  REQUIRE_FALSE(store.find("b", "0123456789abcdef"));  // no records/ yet
  const nlohmann::json config{{"task", "gaussian"}, {"seed", 7}};
  const CodeVersion code{2, 1, 1, 1};
  RunRecord record;
  record.config = config, record.code = code, record.id = run_identity(config, code);
  record.section = "a", record.kind = "memorization";
  record.result.status = "completed";
  record.result.evals.push_back({.step = 1, .loss = 0.5, .train_metric = 0.5, .test_metric = 0.25});
  store.write("a", record);
  REQUIRE(store.count("b") == 0);
  const auto found = store.find("b", record.id);
  REQUIRE(found);
  REQUIRE(found->section == "a");  // it says which figure trained it
  REQUIRE(store.count("b") == 1);
  REQUIRE(moesim::testing::read_text(store.path("b", record.id)) == moesim::testing::read_text(store.path("a", record.id)));
  // Another identity is found nowhere; a torn record in another section is refused, naming its file.
  REQUIRE_FALSE(store.find("b", run_identity(config, CodeVersion{3, 1, 1, 1})));
  const std::string other = run_identity(nlohmann::json{{"seed", 8}}, code);
  fs::create_directories(dir / "records" / "c");
  std::ofstream(store.path("c", other)) << "{\"schema\":";
  REQUIRE_THROWS_WITH(store.find("b", other), Catch::Contains(store.path("c", other).string()));
}

TEST_CASE("record store: stale temporaries go, live ones stay", "[sims][record_store]") {
  const auto dir = moesim::testing::fresh_dir("moesim_test_temps");
  fs::create_directories(dir / "records" / "s");
  std::ofstream(dir / "records" / "s" / "x.json.tmp.999999999") << "{";  // no such process
  std::ofstream(dir / "records" / "s" / ("y.json" + moesim::models::temp_suffix())) << "{";  // this one
  std::ofstream(dir / "s.csv.tmp.999999999") << "a,b";  // beside the CSVs: a killed CSV write
  REQUIRE(RecordStore(dir).remove_stale_temps() == 2);
  REQUIRE(fs::exists(dir / "records" / "s" / ("y.json" + moesim::models::temp_suffix())));
}
