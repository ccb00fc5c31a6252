#include <catch2/catch.hpp>

#include "usage_error.hpp"
#include "model_config_json.hpp"

using namespace moesim::sims;
using moesim::models::OneLayerConfig;
using moesim::models::TransformerConfig;

TEST_CASE("model_config_json: a one-layer config reads back as written", "[sims][model_config_json]") {
  for (const OneLayerConfig c : {OneLayerConfig{.vocab = 14, .m = 6, .heads = 2, .hidden = 9, .experts = 4, .switch_gate = true},
                                 OneLayerConfig{.vocab = 14, .m = 6, .experts = 4, .balance_coef = 0.1},
                                 OneLayerConfig{.vocab = 14, .m = 6, .masked_token = 0},
                                 OneLayerConfig{.input_dim = 5, .m = 3, .hidden = 3}}) {
    const auto back = one_layer_config(nlohmann::json::parse(config_json(c).dump()));
    REQUIRE(back.vocab == c.vocab);
    REQUIRE(back.input_dim == c.input_dim);
    REQUIRE(back.m == c.m);
    REQUIRE(back.heads == c.heads);
    REQUIRE(back.hidden == c.hidden);
    REQUIRE(back.experts == c.experts);
    REQUIRE(back.switch_gate == c.switch_gate);
    REQUIRE(back.balance_coef == c.balance_coef);
    // Written only where there is one, so checkpoints from before the option read and write as they did.
    REQUIRE(config_json(c).contains("balance_coef") == (c.balance_coef > 0));
    REQUIRE(back.masked_token == c.masked_token);
    REQUIRE(config_json(c).contains("masked_token") == (c.masked_token >= 0));
  }
}

TEST_CASE("model_config_json: a missing, mistyped or out-of-range field is a usage error naming it",
          "[sims][model_config_json]") {
  const auto good = config_json(OneLayerConfig{.vocab = 14, .m = 6});
  auto without = good;
  without.erase("hidden");
  REQUIRE_THROWS_AS(one_layer_config(without), UsageError);
  REQUIRE_THROWS_WITH(one_layer_config(without), Catch::Contains("hidden"));
  auto mistyped = good;
  mistyped["m"] = "six";
  REQUIRE_THROWS_WITH(one_layer_config(mistyped), Catch::Contains("incomplete"));
  auto narrow = good;
  narrow["m"] = 0;
  REQUIRE_THROWS_WITH(one_layer_config(narrow), Catch::Contains("m must be >= 1"));
  auto unbalanced = good;
  unbalanced["balance_coef"] = 0.1;  // a dense psi has no experts to balance
  REQUIRE_THROWS_WITH(one_layer_config(unbalanced), Catch::Contains("balance_coef needs experts >= 2"));
}

TEST_CASE("model_config_json: a Transformer config carries every field", "[sims][model_config_json]") {
  const TransformerConfig c{.vocab = 9, .d = 32, .layers = 3, .heads = 4, .ffn_mult = 2, .experts = 8, .top_k = 2,
                            .renormalize = false, .causal = false, .max_len = 27};
  const auto j = config_json(c);
  REQUIRE(j.size() == 14);
  REQUIRE(j["gate"] == "probability");
  REQUIRE(j["d"] == 32);
  REQUIRE(j["experts"] == 8);
  REQUIRE(j["causal"] == false);
  REQUIRE(j["max_len"] == 27);
  REQUIRE(j["balance_coef"] == c.balance_coef);
}
