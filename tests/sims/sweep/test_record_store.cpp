// Records: one file per run, found again by its options; temporaries of dead writers are swept away.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sweep/record_store.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;
namespace fs = std::filesystem;

TEST_CASE("record store: write, find, and refuse a record that is not this run's", "[sims][record_store]") {
  const auto dir = fs::temp_directory_path() / "moesim_test_records";
  fs::remove_all(dir);
  RecordStore store(dir);
  const Options a{{"task", "gaussian"}, {"seed", "1"}}, b{{"task", "gaussian"}, {"seed", "2"}};
  REQUIRE(RecordStore::run_id(a) != RecordStore::run_id(b));
  REQUIRE(RecordStore::run_id(a) == RecordStore::run_id(Options{{"seed", "1"}, {"task", "gaussian"}}));
  REQUIRE_FALSE(store.find("s", a));
  RunRecord record;
  record.given = a;
  record.result.status = "completed";
  record.result.evals.push_back({.step = 1, .loss = NAN, .train_metric = 0.5, .test_metric = 0.25});
  store.write("s", a, record);
  const auto found = store.find("s", a);
  REQUIRE(found);
  REQUIRE(found->result.status == "completed");
  REQUIRE(found->result.last().test_metric == 0.25);
  REQUIRE(std::isnan(found->result.last().loss));  // written as null, read back as NaN
  REQUIRE(store.count("s") == 1);
  // A file under b's name holding a's record, and a torn file: both refused with the file named.
  fs::copy_file(store.path("s", a), store.path("s", b));
  REQUIRE_THROWS_AS(store.find("s", b), UsageError);
  std::ofstream(store.path("s", b)) << "{\"schema\": 2, \"options\":";
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

TEST_CASE("record store: stale temporaries go, live ones stay", "[sims][record_store]") {
  const auto dir = fs::temp_directory_path() / "moesim_test_temps";
  fs::remove_all(dir);
  fs::create_directories(dir / "records" / "s");
  std::ofstream(dir / "records" / "s" / "x.json.tmp.999999999") << "{";  // no such process
  std::ofstream(dir / "records" / "s" / ("y.json.tmp." + std::to_string(::getpid()))) << "{";  // this one
  REQUIRE(RecordStore(dir).remove_stale_temps() == 1);
  REQUIRE(fs::exists(dir / "records" / "s" / ("y.json.tmp." + std::to_string(::getpid()))));
}
