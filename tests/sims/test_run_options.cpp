#include <catch2/catch.hpp>

#include "graphs/calibrate.hpp"
#include "usage_error.hpp"
#include "run_options.hpp"
#include "run_training.hpp"

using namespace moesim::sims;

TEST_CASE("run_options: options by name parse as typed ones, later maps override the base", "[sims][run_options]") {
  const auto o = parse_run_options({{"d", "32"}, {"lr", "0.001"}, {"bidirectional", "true"}},
                                   {{"task", "phonebook"}, {"model", "moe"}, {"d", "16"}, {"steps", "7"}});
  REQUIRE(o.task == "phonebook");
  REQUIRE(o.model == "moe");
  REQUIRE(o.d == 32);  // the override wins
  REQUIRE(o.steps == 7);
  REQUIRE(o.lr == 0.001);
  REQUIRE(o.bidirectional);
  REQUIRE(o.layers == RunOptions{}.layers);  // untouched options keep their defaults
  REQUIRE_FALSE(parse_run_options({{"bidirectional", "false"}}, {{"task", "length2"}, {"model", "onelayer"}}).bidirectional);
}

TEST_CASE("run_options: a bad value is refused with the option's name", "[sims][run_options]") {
  const Options base{{"task", "phonebook"}, {"model", "dense"}};
  REQUIRE_THROWS_AS(parse_run_options({{"d", "1"}}, base), UsageError);
  REQUIRE_THROWS_WITH(parse_run_options({{"d", "1"}}, base), Catch::Contains("--d"));
  REQUIRE_THROWS_WITH(parse_run_options({{"lr", "nan"}}, base), Catch::Contains("--lr"));
  REQUIRE_THROWS_WITH(parse_run_options({{"lr", "inf"}}, base), Catch::Contains("--lr"));
  REQUIRE_THROWS_WITH(parse_run_options({{"task", "sorting"}}, base), Catch::Contains("--task"));
  REQUIRE_THROWS_WITH(parse_run_options({{"bidirectional", "yes"}}, base), Catch::Contains("accepted: true, false"));
  REQUIRE_THROWS_WITH(parse_run_options({}, {{"task", "phonebook"}}), Catch::Contains("--model"));  // required
}

TEST_CASE("run_options: option names are the long options without dashes", "[sims][run_options]") {
  for (const char* name : {"task", "model", "d", "top-k", "mean-path", "eval-limit", "bidirectional", "device"})
    REQUIRE(is_run_option(name));
  for (const char* name : {"", "top_k", "--d", "help", "jobs"}) REQUIRE_FALSE(is_run_option(name));
}

TEST_CASE("run_options: checks across options name the conflict", "[sims][run_options]") {
  auto with = [](Options o) { return parse_run_options(o); };
  REQUIRE_NOTHROW(check_run_options(with({{"task", "phonebook"}, {"model", "moe"}})));
  REQUIRE_NOTHROW(check_run_options(with({{"task", "gaussian"}, {"model", "onelayer"}, {"experts", "4"}})));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "length2"}, {"model", "dense"}})),
                      Catch::Contains("cannot train --task length2"));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "sraven"}, {"model", "onelayer"}})),
                      Catch::Contains("cannot train --task sraven"));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "phonebook"}, {"model", "dense"}, {"experts", "4"}})),
                      Catch::Contains("--experts needs --model moe"));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "phonebook"}, {"model", "moe"}, {"experts", "4"}, {"top-k", "5"}})),
                      Catch::Contains("top_k"));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "phonebook"}, {"model", "dense"}, {"d", "30"}, {"heads", "4"}})),
                      Catch::Contains("model: "));
}

TEST_CASE("run_options: the gate resolves per family and top-k, and is checked against the family", "[sims][run_options]") {
  auto with = [](Options o) { return parse_run_options(o); };
  REQUIRE(with({{"task", "phonebook"}, {"model", "moe"}, {"top-k", "1"}}).gate == "probability");
  REQUIRE(with({{"task", "phonebook"}, {"model", "moe"}, {"top-k", "2"}}).gate == "renormalized");
  REQUIRE(with({{"task", "length2"}, {"model", "onelayer"}}).gate == "hard");
  // Asked for explicitly, renormalised top-1 is allowed (its router trains only through the balancing loss).
  REQUIRE_NOTHROW(check_run_options(with({{"task", "phonebook"}, {"model", "moe"}, {"top-k", "1"}, {"gate", "renormalized"}})));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "phonebook"}, {"model", "moe"}, {"gate", "hard"}})),
                      Catch::Contains("accepted with --model moe: auto, renormalized, probability"));
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "length2"}, {"model", "onelayer"}, {"gate", "probability"}})),
                      Catch::Contains("accepted with --model onelayer: auto, hard, switch"));
  REQUIRE_THROWS_WITH(with({{"task", "phonebook"}, {"model", "moe"}, {"gate", "mixtral"}}), Catch::Contains("--gate"));
}

TEST_CASE("run_options: --epochs sets the steps to ceil(epochs * examples / batch)", "[sims][run_options]") {
  auto with = [](Options o) { return parse_run_options(o); };
  REQUIRE(with({{"task", "phonebook"}, {"model", "dense"}, {"entries", "64"}, {"batch", "32"}, {"epochs", "100"}}).steps == 200);
  REQUIRE(with({{"task", "phonebook"}, {"model", "dense"}, {"entries", "65"}, {"batch", "32"}, {"epochs", "100"}}).steps == 204);
  REQUIRE(with({{"task", "gaussian"}, {"model", "onelayer"}, {"n", "30"}, {"batch", "3"}, {"epochs", "0.1"}}).steps == 1);
  REQUIRE(with({{"task", "gaussian"}, {"model", "onelayer"}, {"n", "10"}, {"batch", "4"}, {"epochs", "2"}}).steps == 5);
  REQUIRE(with({{"task", "gaussian"}, {"model", "onelayer"}, {"steps", "17"}}).steps == 17);  // 0: --steps rules
  REQUIRE_THROWS_WITH(with({{"task", "phonebook"}, {"model", "dense"}, {"epochs", "2"}, {"steps", "9"}}),
                      Catch::Contains("--epochs"));  // one or the other
  REQUIRE_THROWS_WITH(check_run_options(with({{"task", "phonebook"}, {"model", "dense"}, {"entries", "10000000"},
                                              {"batch", "1"}, {"epochs", "1000"}})),
                      Catch::Contains("at most 100000000 steps"));
  REQUIRE_THROWS_WITH(with({{"task", "length2"}, {"model", "onelayer"}, {"epochs", "2"}}), Catch::Contains("epochs"));
}

TEST_CASE("run_options: fresh data's train split is eight batches, capped by the evaluation's size", "[sims][run_options]") {
  auto with = [](Options o) { return parse_run_options(o, {{"task", "length2"}, {"model", "onelayer"}}); };
  REQUIRE(with({{"batch", "16"}}).fresh_train_split() == 128);                        // 8 batches < 512
  REQUIRE(with({{"batch", "128"}}).fresh_train_split() == 512);                       // the limit binds
  REQUIRE(with({{"batch", "128"}, {"eval-limit", "0"}}).fresh_train_split() == 1024);  // 0: no limit
  REQUIRE(with({{"batch", "128"}, {"eval-limit", "100"}}).fresh_train_split() == 100);
}

TEST_CASE("run_options: a calibrated p puts the calibration's version in the configuration", "[sims][run_options]") {
  const Options base{{"task", "shortest-path"}, {"model", "dense"}, {"nodes", "12"}};
  const auto calibrated = run_config_json(parse_run_options({{"mean-path", "2.2"}}, base));
  REQUIRE(calibrated.at("calibration") == moesim::graphs::kCalibrationVersion);
  REQUIRE_FALSE(run_config_json(parse_run_options({{"p", "0.2"}}, base)).contains("calibration"));
}

TEST_CASE("run_options: --readout-init is one-layer only, and at its default leaves the configuration as before",
          "[sims][run_options]") {
  const Options base{{"task", "length2"}, {"model", "onelayer"}};
  const auto normal = run_config_json(parse_run_options({}, base));
  REQUIRE_FALSE(normal.contains("readout-init"));  // records made before the option keep their identities
  REQUIRE(run_config_json(parse_run_options({{"readout-init", "zero"}}, base)).at("readout-init") == "zero");
  REQUIRE(run_config_json(parse_run_options({{"readout-init", "normal"}}, base)) == normal);
  REQUIRE_NOTHROW(check_run_options(parse_run_options({{"readout-init", "zero"}}, base)));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"task", "phonebook"}, {"model", "dense"}, {"readout-init", "zero"}})),
                      Catch::Contains("--readout-init zero is a one-layer option"));
  REQUIRE_THROWS_WITH(parse_run_options({{"readout-init", "small"}}, base), Catch::Contains("--readout-init"));
}

TEST_CASE("run_options: --precision bf16 is refused on the CPU, and fp32 leaves the configuration as before",
          "[sims][run_options]") {
  const Options base{{"task", "length2"}, {"model", "onelayer"}, {"device", "cpu"}};
  const auto fp32 = run_config_json(parse_run_options({}, base));
  REQUIRE_FALSE(fp32.contains("precision"));  // every record made before the option keeps its identity
  REQUIRE(run_config_json(parse_run_options({{"precision", "fp32"}}, base)) == fp32);
  REQUIRE(run_config_json(parse_run_options({{"precision", "bf16"}, {"device", "cuda"}}, base)).at("precision") == "bf16");
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"precision", "bf16"}}, base)),
                      Catch::Contains("--precision bf16: the CPU backend computes in fp32"));
  REQUIRE_NOTHROW(check_run_options(parse_run_options({{"precision", "bf16"}, {"device", "cuda"}}, base)));
  REQUIRE_THROWS_WITH(parse_run_options({{"precision", "fp16"}}, base), Catch::Contains("--precision"));
}

TEST_CASE("run_options: an option of the other model family is refused unless at its default", "[sims][run_options]") {
  // It would be ignored without a word: --m with a Transformer, --d with the one-layer model.
  const Options transformer{{"task", "phonebook"}, {"model", "dense"}}, one_layer{{"task", "length2"}, {"model", "onelayer"}};
  REQUIRE_NOTHROW(check_run_options(parse_run_options({}, transformer)));
  REQUIRE_NOTHROW(check_run_options(parse_run_options({}, one_layer)));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"m", "16"}}, transformer)),
                      Catch::Contains("--m 16 is a one-layer option (accepted with --model dense: --heads, --experts, "
                                      "--gate, --d, --layers"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"hidden", "64"}}, transformer)),
                      Catch::Contains("--hidden 64 is a one-layer option"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"d", "16"}}, one_layer)),
                      Catch::Contains("--d 16 is a Transformer option (accepted with --model onelayer: --heads, --experts, "
                                      "--gate, --m, --hidden, --readout-init, --router-balance, --lr-width)"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"bidirectional", "true"}}, one_layer)),
                      Catch::Contains("--bidirectional true is a Transformer option"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"top-k", "1"}}, one_layer)),
                      Catch::Contains("--top-k 1 is a Transformer option"));
  // Given at its default, the option changes nothing and passes.
  REQUIRE_NOTHROW(check_run_options(parse_run_options({{"d", "64"}}, one_layer)));
}

TEST_CASE("run_options: --lr-width is a one-layer option, left out of a run's identity where it scales nothing",
          "[sims][run_options]") {
  const Options base{{"task", "length2"}, {"model", "onelayer"}, {"m", "32"}, {"heads", "1"}};
  const auto plain = run_config_json(parse_run_options({}, base));
  REQUIRE_FALSE(plain.contains("lr-width"));
  // At or above every fan-in it would scale (m and H*m), the run is the plain one: the same identity.
  REQUIRE(run_config_json(parse_run_options({{"lr-width", "32"}}, base)) == plain);
  REQUIRE(run_config_json(parse_run_options({{"lr-width", "64"}}, base)) == plain);
  REQUIRE(run_config_json(parse_run_options({{"lr-width", "16"}}, base)).at("lr-width") == 16);
  // Two heads make W's fan-in 64: lr-width 32 scales it.
  REQUIRE(run_config_json(parse_run_options({{"lr-width", "32"}, {"heads", "2"}}, base)).at("lr-width") == 32);
  REQUIRE(train_config(parse_run_options({{"lr-width", "16"}}, base)).optimizer.lr_width == 16);
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"lr-width", "16"}}, {{"task", "phonebook"}, {"model", "dense"}})),
                      Catch::Contains("--lr-width 16 is a one-layer option"));
  REQUIRE_THROWS_WITH(parse_run_options({{"lr-width", "-1"}}, base), Catch::Contains("--lr-width"));
}

TEST_CASE("run_options: --router-balance needs a one-layer MoE and is left out of a run's identity at 0",
          "[sims][run_options]") {
  const Options moe{{"task", "length2"}, {"model", "onelayer"}, {"experts", "8"}};
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"router-balance", "0.1"}}, {{"task", "length2"}, {"model", "onelayer"}})),
                      Catch::Contains("--router-balance balances a one-layer MoE's experts (accepted: with --experts 2"));
  REQUIRE_THROWS_WITH(check_run_options(parse_run_options({{"router-balance", "0.1"}}, {{"task", "phonebook"}, {"model", "moe"}})),
                      Catch::Contains("--router-balance 0.1 is a one-layer option"));
  REQUIRE_NOTHROW(check_run_options(parse_run_options({{"router-balance", "0.1"}}, moe)));
  REQUIRE_NOTHROW(check_run_options(parse_run_options({{"router-balance", "0.1"}, {"gate", "switch"}}, moe)));
  // Records made before the option existed keep their identity.
  REQUIRE_FALSE(run_config_json(parse_run_options({}, moe)).contains("router-balance"));
  REQUIRE(run_config_json(parse_run_options({{"router-balance", "0.1"}}, moe))["router-balance"] == 0.1);
}
