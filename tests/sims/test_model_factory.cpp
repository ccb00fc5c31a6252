// The model of a run: its family from --model, its shape from the task, its config and counts for the record.
#include <catch2/catch.hpp>

#include "model_factory.hpp"
#include "models/one_layer.hpp"
#include "models/transformer.hpp"
#include "usage_error.hpp"

using namespace moesim;
using namespace moesim::sims;

TEST_CASE("model_factory: the family, shape and config of the model a run trains", "[sims][model_factory]") {
  auto be = models::make_cpu_backend<float>();
  auto o = parse_run_options({{"task", "phonebook"}, {"model", "moe"}, {"d", "16"}, {"heads", "2"}, {"experts", "3"}});
  auto built = build_model(o, {.vocab = 39, .max_len = 15}, *be);
  REQUIRE(built.kind == "transformer");
  REQUIRE(built.config["experts"] == 3);
  REQUIRE(built.config["causal"] == true);
  REQUIRE(dynamic_cast<models::Transformer<float>*>(built.model.get()));
  REQUIRE(size_t(built.counts.total) == built.model->store().size());
  // A task that needs bidirectional attention gets it whatever --bidirectional says.
  REQUIRE(build_model(o, {.vocab = 9, .max_len = 18, .bidirectional = true}, *be).config["causal"] == false);
  o = parse_run_options({{"task", "gaussian"}, {"model", "onelayer"}, {"m", "4"}, {"hidden", "0"}});
  built = build_model(o, {.input_dim = 5, .max_len = 3}, *be);
  REQUIRE(built.kind == "onelayer");
  REQUIRE(built.config["hidden"] == 4);  // 0: the same as m
  REQUIRE(built.config["input_dim"] == 5);
  auto* one_layer = dynamic_cast<models::OneLayer<float>*>(built.model.get());
  REQUIRE(one_layer);
  REQUIRE_FALSE(one_layer->config().zero_readout);
  o.readout_init = "zero";
  REQUIRE(dynamic_cast<models::OneLayer<float>*>(build_model(o, {.input_dim = 5, .max_len = 3}, *be).model.get())
              ->config().zero_readout);
  // A token the task keeps out of the keys (length-2's EMPTY with --mask-empty) reaches the model and its config.
  o = parse_run_options({{"task", "length2"}, {"model", "onelayer"}});
  built = build_model(o, {.vocab = 14, .max_len = 13, .masked_token = 0}, *be);
  REQUIRE(dynamic_cast<models::OneLayer<float>*>(built.model.get())->config().masked_token == 0);
  REQUIRE(built.config["masked_token"] == 0);
  REQUIRE_FALSE(build_model(o, {.vocab = 14, .max_len = 13}, *be).config.contains("masked_token"));
  o = parse_run_options({{"task", "phonebook"}, {"model", "dense"}, {"d", "30"}, {"heads", "4"}});
  REQUIRE_THROWS_AS(build_model(o, {.vocab = 39, .max_len = 15}, *be), UsageError);
}
