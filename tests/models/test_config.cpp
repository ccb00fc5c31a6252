// Parameter counts are the x axes of the memorisation and parameter-matched figures: they are checked
// against the models' actual parameter tables, and "active" against its definition (k of E experts).
#include <catch2/catch.hpp>
#include <cmath>

#include "models/config.hpp"
#include "models/one_layer.hpp"
#include "models/transformer.hpp"

using namespace moesim::models;

namespace {

// Elements of the table's tensors whose names end in one of `suffixes`.
long sized(const ParamTable& t, std::initializer_list<std::string> suffixes) {
  long n = 0;
  for (const auto& v : t.views())
    for (const auto& s : suffixes)
      if (v.name.size() >= s.size() && v.name.compare(v.name.size() - s.size(), s.size(), s) == 0) n += long(v.size);
  return n;
}

}  // namespace

TEST_CASE("config: Transformer counts equal its table, active leaves out E - k experts", "[models][config]") {
  struct Case { int experts, k, ffn_mult; };
  for (Case cs : {Case{0, 1, 1}, Case{1, 1, 2}, Case{4, 1, 1}, Case{8, 2, 2}}) {
    TransformerConfig c{.vocab = 11, .d = 16, .layers = 3, .heads = 2, .ffn_mult = cs.ffn_mult, .experts = cs.experts,
                        .top_k = cs.k};
    const auto t = transformer_table(c);
    const auto n = count_params(c);
    INFO("experts " << cs.experts << " k " << cs.k);
    REQUIRE(size_t(n.total) == t.total());
    REQUIRE(n.embedding == sized(t, {"embed", "head"}));
    REQUIRE(n.total == n.embedding + n.non_embedding);
    REQUIRE(n.active == n.embedding + n.active_non_embedding);
    const long experts = sized(t, {"w13", "w2"});
    const long inactive = cs.experts ? experts / cs.experts * (cs.experts - cs.k) : 0;
    REQUIRE(n.total - n.active == inactive);
  }
}

TEST_CASE("config: one-layer counts equal its table for token and vector inputs, dense and MoE", "[models][config]") {
  for (int experts : {0, 1, 5})
    for (bool tokens : {true, false}) {
      OneLayerConfig c{.vocab = tokens ? 9 : 0, .input_dim = tokens ? 0 : 6, .m = 4, .heads = 3, .hidden = 7,
                       .experts = experts};
      const auto t = one_layer_table(c);
      const auto n = count_params(c);
      INFO("experts " << experts << " tokens " << tokens);
      REQUIRE(size_t(n.total) == t.total());
      REQUIRE(n.embedding == sized(t, {"embed", "w_in"}));
      REQUIRE(n.total == n.embedding + n.non_embedding);
      const long experts_size = sized(t, {"W", "b", "u"});
      REQUIRE(n.total - n.active == (experts ? experts_size / experts * (experts - 1) : 0));  // top-1
    }
}

TEST_CASE("config: matched_width keeps K m^2 at the dense width's square", "[models][config]") {
  REQUIRE(matched_width(64, 16) == Approx(16));
  REQUIRE(matched_width(100, 1) == Approx(100));
  for (int K : {2, 3, 7, 64}) REQUIRE(K * std::pow(matched_width(48, K), 2) == Approx(48.0 * 48.0));
}

TEST_CASE("config: validate names the field at fault", "[models][config]") {
  const TransformerConfig ok{.vocab = 8, .d = 16, .heads = 2};
  REQUIRE_NOTHROW(validate(ok));
  auto bad = [&](auto edit, const char* field) {
    TransformerConfig c = ok;
    edit(c);
    REQUIRE_THROWS_WITH(validate(c), Catch::Contains(field));
  };
  bad([](auto& c) { c.vocab = 1; }, "vocab");
  bad([](auto& c) { c.heads = 3; }, "heads");
  bad([](auto& c) { c.heads = 16; }, "head size");
  bad([](auto& c) { c.experts = 4, c.top_k = 5; }, "top_k");
  bad([](auto& c) { c.layers = 0; }, "layers");
  bad([](auto& c) { c.z_coef = -1; }, "coefficients");
  const OneLayerConfig one{.vocab = 4, .m = 2};
  REQUIRE_NOTHROW(validate(one));
  OneLayerConfig both = one;
  both.input_dim = 3;
  REQUIRE_THROWS_WITH(validate(both), Catch::Contains("exactly one of vocab"));
  OneLayerConfig narrow = one;
  narrow.m = 0;
  REQUIRE_THROWS_WITH(validate(narrow), Catch::Contains("m must"));
  for (int token : {0, 3}) {
    OneLayerConfig masked = one;
    masked.masked_token = token;
    REQUIRE_NOTHROW(validate(masked));
  }
  for (int token : {-2, 4}) {
    OneLayerConfig masked = one;
    masked.masked_token = token;
    REQUIRE_THROWS_WITH(validate(masked), Catch::Contains("masked_token"));
  }
  const OneLayerConfig vectors{.input_dim = 3, .m = 2, .masked_token = 0};  // no tokens to mask
  REQUIRE_THROWS_WITH(validate(vectors), Catch::Contains("masked_token"));
}
