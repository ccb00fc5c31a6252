#include <catch2/catch.hpp>

#include "gradcheck.hpp"
#include "graphs/rng.hpp"
#include "models/one_layer.hpp"

using namespace moesim::models;

namespace {

struct Data {
  int B, N;
  std::vector<int> tokens;
  std::vector<float> x, labels;
};

Data make_data(const OneLayerConfig& c, int B, int N, uint64_t seed) {
  moesim::graphs::Rng rng(seed);
  Data d{B, N, {}, {}, {}};
  for (int i = 0; i < B * N; ++i) {
    if (c.vocab > 0) d.tokens.push_back(int(rng.below(c.vocab)));
    for (int j = 0; c.vocab == 0 && j < c.input_dim; ++j) d.x.push_back(float(rng.uniform() * 2 - 1));
  }
  for (int b = 0; b < B; ++b) d.labels.push_back(rng.below(2) ? 1.0f : -1.0f);
  return d;
}

}  // namespace

TEST_CASE("one_layer: every parameter gradient matches finite differences (double)", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  struct Case { int vocab, input_dim, experts; bool switch_gate; };
  for (Case cs : {Case{6, 0, 0, false}, Case{0, 3, 0, false}, Case{6, 0, 3, false}, Case{0, 3, 3, true},
                  Case{6, 0, 4, true}}) {
    DYNAMIC_SECTION("vocab " << cs.vocab << " input " << cs.input_dim << " experts " << cs.experts
                             << (cs.switch_gate ? " switch" : " hard")) {
      OneLayerConfig c{.vocab = cs.vocab, .input_dim = cs.input_dim, .m = 4, .heads = 2, .hidden = 5,
                       .experts = cs.experts, .switch_gate = cs.switch_gate};
      OneLayer<double> model(c, *be, 21);
      const auto data = make_data(c, 6, 5, 2);
      auto& store = model.store();
      auto run = [&] {
        return model.forward(cs.vocab ? data.tokens.data() : nullptr, cs.vocab ? nullptr : data.x.data(),
                             data.labels.data(), data.B, data.N);
      };
      store.zero_grads();
      run();
      model.backward();
      const auto analytic = store.download(store.grads());
      auto params = store.download(store.params());
      moesim::testing::check_gradients(store.table(), params, analytic, [&] {
        store.upload(store.params(), params);
        return run();
      });
    }
  }
}

TEST_CASE("one_layer: parameter counts match the buffer", "[models][one_layer]") {
  for (int experts : {0, 4}) {
    OneLayerConfig c{.vocab = 10, .m = 6, .heads = 3, .hidden = 7, .experts = experts};
    const auto counts = count_params(c);
    REQUIRE(size_t(counts.total) == one_layer_table(c).total());
    REQUIRE(counts.embedding == 60);
    if (experts) REQUIRE(counts.active < counts.total);
  }
}

TEST_CASE("one_layer: the hard router spreads inputs over several experts", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  OneLayerConfig c{.vocab = 6, .m = 4, .heads = 1, .hidden = 3, .experts = 4};
  OneLayer<double> model(c, *be, 5);
  const auto data = make_data(c, 16, 4, 7);
  model.forward(data.tokens.data(), nullptr, nullptr, data.B, data.N);
  const auto experts = model.chosen_experts();
  int distinct = 0;
  for (int e = 0; e < 4; ++e) distinct += std::count(experts.begin(), experts.end(), e) > 0;
  REQUIRE(distinct >= 2);  // the router spreads inputs
}
