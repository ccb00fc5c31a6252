// The exporter: parallel chunks written in order, ranges checked against the split.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "data_export.hpp"
#include "run_options.hpp"
#include "stream_out.hpp"
#include "tasks/task.hpp"
#include "../scratch_dir.hpp"

using namespace moesim::sims;

namespace data_export_test {

RunOptions export_options(const Task& task, const Options& example, const std::string& seed) {
  Options given{{"task", task.name}, {"model", family_model(task.family)}, {"seed", seed}};
  given.insert(example.begin(), example.end());
  return parse_run_options(given);
}

}  // namespace data_export_test

using namespace data_export_test;

TEST_CASE("data: the export's bytes do not depend on threads or chunks", "[sims][data_export]") {
  const Task& task = task_named("shortest-path");
  const auto data = task.data(export_options(task, {{"nodes", "7"}, {"p", "0.4"}, {"train-size", "0"}}, "3"));
  auto text = [&](int threads, long chunk) {
    const auto path = moesim::testing::fresh_dir("moesim_test_task_data") / "data.jsonl";
    {
      StreamOut out(path);
      export_examples(*data, {.split = "train", .offset = 5, .count = 301}, DataFormat::Jsonl,
                      [&out](std::string_view text) { out.write(text); }, threads, chunk);
      out.commit();
    }
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    std::filesystem::remove(path);
    return s.str();
  };
  const std::string one = text(1, 1024);
  REQUIRE(std::count(one.begin(), one.end(), '\n') == 301);
  REQUIRE(text(2, 7) == one);
  REQUIRE(text(3, 300) == one);
  TextBuffer direct;
  data->write("train", 5, 301, DataFormat::Jsonl, direct);
  REQUIRE(fmt::to_string(direct) == one);
}

TEST_CASE("data: ranges beyond a split, unknown splits and endless streams without a count are refused",
          "[sims][data_export]") {
  const Task& task = task_named("phonebook");
  const auto data = task.data(export_options(task, {{"entries", "10"}, {"test-size", "4"}}, "1"));
  REQUIRE(checked_split(*data, {.split = "test", .offset = 0, .count = -1}).size == 4);
  REQUIRE_THROWS_WITH(checked_split(*data, {.split = "test", .offset = 2, .count = 3}), Catch::Contains("beyond"));
  REQUIRE_THROWS_WITH(checked_split(*data, {.split = "ood"}), Catch::Contains("accepted: train, test"));
  const Task& sraven = task_named("sraven");
  const auto stream = sraven.data(export_options(sraven, {{"features", "2"}, {"rule-pool", "4"}}, "1"));
  REQUIRE_THROWS_WITH(checked_split(*stream, {.split = "train"}), Catch::Contains("without end"));
  REQUIRE(checked_split(*stream, {.split = "train", .offset = 1000000000, .count = 1}).size == DataSplit::kUnbounded);
}
