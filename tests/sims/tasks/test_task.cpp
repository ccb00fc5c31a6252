// The task registry: the five tasks are there, each with a family, options of its own and examples;
// names and shared options are checked at registration.
#include <catch2/catch.hpp>

#include "tasks/task.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("task: every task is registered once, in name order, with examples", "[sims][task]") {
  std::vector<std::string> names;
  for (const auto& t : tasks()) {
    names.push_back(t.name);
    REQUIRE(t.make);
    REQUIRE_FALSE(t.help.empty());
    REQUIRE_FALSE(t.examples.empty());
  }
  REQUIRE(names == std::vector<std::string>{"gaussian", "length2", "phonebook", "shortest-path", "sraven"});
  REQUIRE(task_named("length2").family == Family::OneLayer);
  REQUIRE(task_named("sraven").family == Family::Transformer);
  REQUIRE(find_task("sorting") == nullptr);
  REQUIRE_THROWS_WITH(task_named("sorting"), Catch::Contains("accepted: gaussian, length2, phonebook, shortest-path, sraven"));
}

TEST_CASE("task: a second task of a name, or a shared option declared otherwise, is refused", "[sims][task]") {
  auto maker = [](const RunOptions&) -> std::unique_ptr<TaskRun> { return nullptr; };
  REQUIRE_THROWS_AS(register_task({.name = "length2", .make = maker}), std::logic_error);
  REQUIRE_THROWS_AS(register_task({.name = "other", .options = {int_option("nodes", 9, 3, 5000, "vertices")}, .make = maker}),
                    std::logic_error);  // length2 and shortest-path declare --nodes with default 8
  REQUIRE_THROWS_AS(register_task({.name = "nameless-maker"}), std::logic_error);
  REQUIRE(find_task("other") == nullptr);
  REQUIRE(model_family("onelayer") == Family::OneLayer);
  REQUIRE(model_family("moe") == Family::Transformer);
}
