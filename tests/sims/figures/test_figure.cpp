// The figure-kind registry: the six kinds are there, each example is a valid section of its kind, and a
// kind registered twice or half (columns without a row function) is refused.
#include <catch2/catch.hpp>

#include "figures/figure.hpp"
#include "preset_text.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("figure: every kind is registered once, in name order, and its example loads", "[sims][figure]") {
  std::vector<std::string> names;
  for (const auto& k : figure_kinds()) {
    names.push_back(k.name);
    INFO(k.name);
    const auto preset = moesim::testing::preset_from("example_" + k.name, "[x]\nkind = \"" + k.name + "\"\n" + k.example);
    REQUIRE(preset.sections.size() == 1);
    REQUIRE_FALSE(preset.sections[0].points().empty());
  }
  REQUIRE(names == std::vector<std::string>{"critical-width", "memorization", "parameter-matched", "phonebook",
                                            "shortest-path", "topk"});
  REQUIRE(find_figure("sideways") == nullptr);
  REQUIRE_THROWS_AS(figure_named("sideways"), std::logic_error);
}

TEST_CASE("figure: a second kind of a name, or columns without a row, is refused", "[sims][figure]") {
  REQUIRE_THROWS_AS(register_figure({.name = "topk", .example = "seeds = [1]"}), std::logic_error);
  REQUIRE_THROWS_AS(register_figure({.name = "half", .columns = {"x"}, .example = "seeds = [1]"}), std::logic_error);
  REQUIRE_THROWS_AS(register_figure({.name = "bare"}), std::logic_error);  // no example
  REQUIRE(find_figure("half") == nullptr);
}

TEST_CASE("figure: a kind's own keys are taken with their defaults, checked, and refused elsewhere", "[sims][figure]") {
  const std::string fixed = "seeds = [1]\nfixed = { task = \"length2\", model = \"onelayer\" }\n";
  const auto with_default = moesim::testing::preset_from(
      "keys_default", "[w]\nkind = \"critical-width\"\n" + fixed + "search = { key = \"m\", min = 1, max = 4 }\n");
  REQUIRE(with_default.sections[0].param("bound_c") == 1.0);
  const auto set = moesim::testing::preset_from(
      "keys_set", "[w]\nkind = \"critical-width\"\nbound_c = 0.5\n" + fixed + "search = { key = \"m\", min = 1, max = 4 }\n");
  REQUIRE(set.sections[0].param("bound_c") == 0.5);
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("keys_other", "[w]\nkind = \"shortest-path\"\nbound_c = 0.5\n" + fixed),
                      Catch::Contains("unknown key"));
  REQUIRE_THROWS_WITH(moesim::testing::preset_from("keys_range", "[w]\nkind = \"critical-width\"\nbound_c = -1\n" + fixed +
                                                                     "search = { key = \"m\", min = 1, max = 4 }\n"),
                      Catch::Contains("bound_c"));
}
