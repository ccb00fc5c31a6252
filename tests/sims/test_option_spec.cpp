// Option declarations: the whole text must parse as the type, reals must be finite, numbers in range, texts
// among the choices; values keep their type through text and JSON.
#include <catch2/catch.hpp>
#include <cmath>

#include "option_spec.hpp"
#include "usage_error.hpp"

using namespace moesim::sims;

TEST_CASE("option_spec: what is accepted and what is refused, by type", "[sims][option_spec]") {
  const auto steps = int_option("steps", 500, 1, 100000000, "optimizer steps");
  const auto lr = real_option("lr", 3e-3, 0, 10, "learning rate");
  const auto decay = text_option("decay", "linear", {"linear", "cosine"}, "schedule");
  const auto seed = unsigned_option("seed", 0, "seed");
  const auto flag = flag_option("bidirectional", "attention");
  REQUIRE(std::get<int64_t>(parse_value(steps, "7")) == 7);
  REQUIRE(std::get<double>(parse_value(lr, "1e-3")) == 1e-3);
  REQUIRE(std::get<std::string>(parse_value(decay, "cosine")) == "cosine");
  REQUIRE(std::get<uint64_t>(parse_value(seed, "18446744073709551615")) == 18446744073709551615ull);
  REQUIRE(std::get<bool>(parse_value(flag, "true")));
  struct Bad {
    const OptionSpec& spec;
    const char* text;
  };
  for (const Bad& b : {Bad{steps, "0"}, Bad{steps, "1.5"}, Bad{steps, ""}, Bad{steps, "7x"}, Bad{steps, "1e3"},
                       Bad{steps, "99999999999999999999"}, Bad{lr, "nan"}, Bad{lr, "-nan"}, Bad{lr, "inf"}, Bad{lr, "-1"},
                       Bad{lr, "11"}, Bad{lr, ""}, Bad{decay, "exp"}, Bad{seed, "-1"}, Bad{seed, "18446744073709551616"},
                       Bad{seed, ""}, Bad{seed, "+3"}, Bad{flag, "yes"}}) {
    INFO(b.spec.name << " '" << b.text << "'");
    REQUIRE_FALSE(value_problem(b.spec, b.text).empty());
    REQUIRE_THROWS_WITH(parse_value(b.spec, b.text), Catch::StartsWith("--" + b.spec.name + ": ") && Catch::Contains("accepted: "));
  }
  REQUIRE(accepted_values(steps) == "an integer in [1, 100000000]");
  REQUIRE(accepted_values(decay) == "linear or cosine");
}

TEST_CASE("option_spec: values keep their type through text and JSON", "[sims][option_spec]") {
  const auto lr = real_option("lr", 3e-3, 0, 10, "learning rate");
  const auto steps = int_option("steps", 500, 1, 100000000, "optimizer steps");
  REQUIRE(value_text(Value(0.1)) == "0.1");
  REQUIRE(value_text(Value(int64_t(64))) == "64");
  REQUIRE(value_text(Value(true)) == "true");
  REQUIRE(value_json(Value(int64_t(64))) == nlohmann::json(64));
  REQUIRE(std::get<double>(value_from_json(lr, nlohmann::json(1))) == 1.0);  // an integer in a real option
  REQUIRE_THROWS_AS(value_from_json(steps, nlohmann::json("64")), UsageError);  // text where a number belongs
  REQUIRE_THROWS_AS(value_from_json(steps, nlohmann::json(0)), UsageError);     // out of range
  OptionValues values;
  values.set("nodes", int64_t(8));
  REQUIRE(values.integer("nodes") == 8);
  REQUIRE_THROWS_AS(values.real("nodes"), std::logic_error);  // read as another type than declared
  REQUIRE_THROWS_AS(values.integer("edges"), std::logic_error);
}
