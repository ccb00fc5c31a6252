#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "gradcheck.hpp"
#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/one_layer.hpp"
#include "probe_backend.hpp"

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

// Every input's last token (the query) made unmasked: an input must hold a token the attention can see.
void unmask_last(Data& d, int masked) {
  for (int b = 0; b < d.B; ++b)
    if (int& last = d.tokens[size_t(b) * d.N + d.N - 1]; last == masked) last = masked + 1;
}

}  // namespace

TEST_CASE("one_layer: every parameter gradient matches finite differences (double)", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  struct Case { int vocab, input_dim, experts; bool switch_gate, per_token_keys; double balance = 0; int masked = -1; };
  for (Case cs : {Case{6, 0, 0, false, false}, Case{0, 3, 0, false, false}, Case{6, 0, 3, false, false},
                  Case{0, 3, 3, true, false}, Case{6, 0, 4, true, false}, Case{6, 0, 0, false, true},
                  Case{0, 3, 3, true, true}, Case{6, 0, 4, false, false, 0.3}, Case{0, 3, 3, true, false, 0.3},
                  Case{6, 0, 0, false, false, 0, 2}, Case{6, 0, 4, true, false, 0, 2}, Case{6, 0, 3, false, true, 0, 2}}) {
    DYNAMIC_SECTION("vocab " << cs.vocab << " input " << cs.input_dim << " experts " << cs.experts
                             << (cs.switch_gate ? " switch" : " hard") << (cs.per_token_keys ? " per-token keys" : "")
                             << " balance " << cs.balance << " masked " << cs.masked) {
      OneLayerConfig c{.vocab = cs.vocab, .input_dim = cs.input_dim, .m = 4, .heads = 2, .hidden = 5,
                       .experts = cs.experts, .switch_gate = cs.switch_gate, .balance_coef = cs.balance,
                       .masked_token = cs.masked, .per_token_keys = cs.per_token_keys};
      OneLayer<double> model(c, *be, 21);
      auto data = make_data(c, 6, 5, 2);
      if (cs.masked >= 0) unmask_last(data, cs.masked);
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

TEST_CASE("one_layer: a zero readout starts at a constant output, only u learns at the first step, the rest "
          "initialised alike", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  for (int experts : {0, 3}) {
    DYNAMIC_SECTION("experts " << experts) {
      OneLayerConfig c{.vocab = 6, .m = 4, .heads = 2, .hidden = 5, .experts = experts};
      OneLayer<double> normal(c, *be, 21);
      c.zero_readout = true;
      OneLayer<double> zero(c, *be, 21);
      const auto data = make_data(c, 6, 5, 2);
      auto& store = zero.store();
      store.zero_grads();
      REQUIRE(zero.forward(data.tokens.data(), nullptr, data.labels.data(), data.B, data.N) == Approx(std::log(2.0)));
      REQUIRE(zero.outputs() == std::vector<double>(data.B, 0.0));
      zero.backward();
      const auto params = store.download(store.params()), grads = store.download(store.grads());
      const auto reference = normal.store().download(normal.store().params());
      for (const auto& v : store.table().views()) {
        INFO(v.name);
        const auto begin = size_t(v.offset), end = begin + v.size;
        const bool u = v.name == "u";
        if (u) {
          REQUIRE(std::all_of(params.begin() + begin, params.begin() + end, [](double x) { return x == 0; }));
        } else {
          REQUIRE(std::equal(params.begin() + begin, params.begin() + end, reference.begin() + begin));
        }
        // d loss / d u = mean of (sigma(0) - y') * ReLU(W z + b): the features' correlation with the labels.
        const bool moves = std::any_of(grads.begin() + begin, grads.begin() + end, [](double g) { return g != 0; });
        REQUIRE(moves == u);
      }
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

TEST_CASE("one_layer: one expert with the hard gate is the dense model, forward and backward, bit for bit",
          "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  for (int vocab : {6, 0}) {
    OneLayerConfig dense_c{.vocab = vocab, .input_dim = vocab ? 0 : 3, .m = 4, .heads = 2, .hidden = 5};
    OneLayerConfig moe_c = dense_c;
    moe_c.experts = 1;
    OneLayer<double> dense(dense_c, *be, 4), moe(moe_c, *be, 9);
    // The MoE gets the dense model's weights (its router keeps its own: with one expert it cannot matter).
    const auto dp = dense.store().download(dense.store().params());
    auto mp = moe.store().download(moe.store().params());
    const auto from = one_layer_tensors(dense_c, dp.data());
    const auto to = one_layer_tensors(moe_c, mp.data());
    for (auto [src, dst] : {std::pair{from.embed, to.embed}, {from.w_in, to.w_in}, {from.Q, to.Q}, {from.K, to.K},
                            {from.V, to.V}, {from.W, to.W}, {from.b, to.b}, {from.u, to.u}})
      if (src.data) std::copy(src.data, src.data + src.size(), dst.data);
    moe.store().upload(moe.store().params(), mp);
    const auto data = make_data(dense_c, 7, 5, 3);
    const Batch batch{.B = data.B, .T = data.N, .tokens = data.tokens, .x = data.x, .labels = data.labels};
    for (auto* model : {static_cast<Model<double>*>(&dense), static_cast<Model<double>*>(&moe)}) {
      model->store().zero_grads();
      model->forward(batch);
      model->backward();
    }
    REQUIRE(moe.outputs() == dense.outputs());
    const auto dg = dense.store().download(dense.store().grads());
    auto mg = moe.store().download(moe.store().grads());
    const auto dgt = one_layer_tensors(dense_c, dg.data());
    const auto mgt = one_layer_tensors(moe_c, mg.data());
    for (auto [a, b] : {std::pair{dgt.embed, mgt.embed}, {dgt.w_in, mgt.w_in}, {dgt.Q, mgt.Q}, {dgt.K, mgt.K},
                        {dgt.V, mgt.V}, {dgt.W, mgt.W}, {dgt.b, mgt.b}, {dgt.u, mgt.u}})
      if (a.data) REQUIRE(std::vector<double>(a.data, a.data + a.size()) == std::vector<double>(b.data, b.data + b.size()));
    for (size_t i = 0; i < mgt.router.size(); ++i) REQUIRE(mgt.router.data[i] == 0.0);  // hard: no router gradient
  }
}

TEST_CASE("one_layer: named tensors view the buffer by shape, the dense psi as expert 0 of 1", "[models][one_layer]") {
  for (int experts : {0, 3}) {
    OneLayerConfig c{.vocab = 6, .m = 4, .heads = 2, .hidden = 5, .experts = experts};
    const auto table = one_layer_table(c);
    std::vector<double> buffer(table.total(), 0.0);
    const auto t = one_layer_tensors(c, buffer.data());
    REQUIRE(t.W.shape == std::vector<int>{std::max(experts, 1), 5, 8});
    t.W(experts ? 2 : 0, 4, 7) = 1.0;
    REQUIRE(buffer[table["W"].offset + table["W"].size - 1] == 1.0);  // the last element of W
    t.embed(5, 3) = 2.0;
    REQUIRE(buffer[table["embed"].offset + 5 * 4 + 3] == 2.0);
    REQUIRE(t.w_in.data == nullptr);  // a token model has no input map
    REQUIRE((t.router.data != nullptr) == (experts > 0));
    // The fan-ins that grow with m (AdamW's lr_width): Q, K, V read m, W and the router read H*m = 8.
    for (const char* name : {"Q", "K", "V"}) REQUIRE(table[name].width == 4);
    REQUIRE(table["W"].width == 8);
    if (experts) REQUIRE(table["router"].width == 8);
    for (const char* name : {"embed", "b", "u"}) REQUIRE(table[name].width == 0);
  }
}

TEST_CASE("one_layer: forward over a Batch is the forward over its fields", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  OneLayerConfig c{.vocab = 6, .m = 4, .heads = 2, .hidden = 5, .experts = 2, .switch_gate = true};
  OneLayer<double> model(c, *be, 8);
  const auto data = make_data(c, 5, 4, 6);
  const double direct = model.forward(data.tokens.data(), nullptr, data.labels.data(), data.B, data.N);
  const auto out = model.outputs();
  REQUIRE(model.forward(Batch{.B = data.B, .T = data.N, .tokens = data.tokens, .labels = data.labels}) == direct);
  REQUIRE(model.outputs() == out);
  REQUIRE(model.forward(Batch{.B = data.B, .T = data.N, .tokens = data.tokens}) == 0.0);  // no labels, no loss
}

TEST_CASE("one_layer: a masked token drops out: a batch computes what its inputs without that token compute, "
          "forward and backward, to 1e-12", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  const int masked = 0;
  for (int experts : {0, 3})
    for (bool per_token_keys : {false, true}) {
      DYNAMIC_SECTION("experts " << experts << (per_token_keys ? " per-token keys" : " folded keys")) {
        OneLayerConfig c{.vocab = 5, .m = 4, .heads = 2, .hidden = 6, .experts = experts, .switch_gate = experts > 0,
                         .masked_token = masked, .per_token_keys = per_token_keys};
        OneLayer<double> model(c, *be, 8);
        auto data = make_data(c, 7, 9, 5);  // about a fifth of the tokens masked
        unmask_last(data, masked);
        auto& store = model.store();
        store.zero_grads();
        const double loss = model.forward(data.tokens.data(), nullptr, data.labels.data(), data.B, data.N);
        const auto out = model.outputs();
        model.backward();
        const auto grads = store.download(store.grads());
        // Each input alone with its masked tokens taken out (the model has no positions): its output, and
        // the batch's loss and gradient as the mean of the inputs' own.
        double mean_loss = 0;
        std::vector<double> mean_grads(grads.size(), 0.0);
        long dropped = 0;
        for (int b = 0; b < data.B; ++b) {
          std::vector<int> kept;
          for (int t = 0; t < data.N; ++t)
            if (const int token = data.tokens[size_t(b) * data.N + t]; token != masked) kept.push_back(token);
          dropped += data.N - long(kept.size());
          store.zero_grads();
          mean_loss += model.forward(kept.data(), nullptr, &data.labels[b], 1, int(kept.size())) / data.B;
          REQUIRE(std::abs(model.outputs()[0] - out[b]) <= 1e-12 * std::max(1.0, std::abs(out[b])));
          model.backward();
          const auto g = store.download(store.grads());
          for (size_t k = 0; k < g.size(); ++k) mean_grads[k] += g[k] / data.B;
        }
        REQUIRE(dropped > 0);
        REQUIRE(std::abs(loss - mean_loss) <= 1e-12 * std::abs(loss));
        double scale = 0;
        for (double g : grads) scale = std::max(scale, std::abs(g));
        REQUIRE(scale > 0);
        for (size_t k = 0; k < grads.size(); ++k) REQUIRE(std::abs(grads[k] - mean_grads[k]) <= 1e-12 * scale);
      }
    }
}

TEST_CASE("one_layer: keys folded into the query compute what per-token keys compute, to 1e-12", "[models][one_layer]") {
  auto be = make_cpu_backend<double>();
  for (int experts : {0, 3})
    for (int vocab : {9, 0}) {
      OneLayerConfig folded{.vocab = vocab, .input_dim = vocab ? 0 : 4, .m = 5, .heads = 3, .hidden = 6,
                            .experts = experts, .switch_gate = experts > 0};
      OneLayerConfig keyed = folded;
      keyed.per_token_keys = true;
      OneLayer<double> a(folded, *be, 12), b(keyed, *be, 12);  // the same seed: the same weights
      const auto data = make_data(folded, 11, 13, 4);
      const Batch batch{.B = data.B, .T = data.N, .tokens = data.tokens, .x = data.x, .labels = data.labels};
      double loss[2];
      int i = 0;
      for (auto* model : {static_cast<Model<double>*>(&a), static_cast<Model<double>*>(&b)}) {
        model->store().zero_grads();
        loss[i++] = model->forward(batch);
        model->backward();
      }
      REQUIRE(std::abs(loss[0] - loss[1]) <= 1e-12 * std::abs(loss[1]));
      const auto oa = a.outputs(), ob = b.outputs();
      for (size_t k = 0; k < oa.size(); ++k) REQUIRE(std::abs(oa[k] - ob[k]) <= 1e-12 * std::max(1.0, std::abs(ob[k])));
      const auto ga = a.store().download(a.store().grads()), gb = b.store().download(b.store().grads());
      double scale = 0;
      for (double g : gb) scale = std::max(scale, std::abs(g));
      for (size_t k = 0; k < ga.size(); ++k) REQUIRE(std::abs(ga[k] - gb[k]) <= 1e-12 * scale);
    }
}

TEST_CASE("one_layer: a training step makes two uploads and one download, token or vector inputs, dense or MoE",
          "[models][one_layer]") {
  // The width sweeps train hundreds of these small models, where each host round trip (a GPU
  // synchronisation) costs as much as the step's arithmetic: the batch goes up once (and the optimizer's step
  // scalars), the loss comes down once, and the MoE's expert offsets stay on the backend (psi as grouped ops).
  auto cpu = make_cpu_backend<float>();
  for (int vocab : {6, 0})
    for (int experts : {0, 4, -4}) {  // -4: four experts with a balancing loss
      DYNAMIC_SECTION("vocab " << vocab << " experts " << experts) {
        ProbeBackend<float> be(*cpu);
        OneLayerConfig c{.vocab = vocab, .input_dim = vocab ? 0 : 3, .m = 4, .heads = 2, .hidden = 5,
                         .experts = std::abs(experts), .switch_gate = true, .balance_coef = experts < 0 ? 0.1 : 0.0};
        OneLayer<float> model(c, be, 5);
        AdamW<float> opt({.clip = 1e-6}, model.store());
        const auto data = make_data(c, 6, 5, 3);
        for (int step = 0; step < 3; ++step) {
          model.store().zero_grads();
          be.uploads = be.downloads = 0;
          const double loss = model.forward(vocab ? data.tokens.data() : nullptr, vocab ? nullptr : data.x.data(),
                                            data.labels.data(), data.B, data.N);
          model.backward();
          opt.step(step, 3);
          REQUIRE(std::isfinite(loss));
          // The batch and the optimizer's learning rate and bias corrections; the first step also sets up the
          // last-token rows.
          CHECK(be.uploads == (step == 0 ? 3 : 2));
          CHECK(be.downloads == 1);
        }
      }
    }
}


TEST_CASE("one_layer: under the hard gate the balancing loss is the router's only gradient, and it is in the loss",
          "[models][one_layer]") {
  // Without it the hard router never moves (argmax, weight 1): results/evidence's routing table. With it the
  // router gets a gradient, and the loss is the logistic loss plus coef * E * sum_e f_e P_e.
  auto be = make_cpu_backend<double>();
  OneLayerConfig c{.vocab = 6, .m = 4, .heads = 2, .hidden = 5, .experts = 4};
  const auto data = make_data(c, 8, 5, 4);
  auto router_grad = [&](double coef) {
    c.balance_coef = coef;
    OneLayer<double> model(c, *be, 9);
    model.store().zero_grads();
    const double loss = model.forward(data.tokens.data(), nullptr, data.labels.data(), data.B, data.N);
    model.backward();
    const auto g = model.store().download(model.store().grads());
    double norm = 0;
    for (const auto& v : model.store().table().views())
      if (v.name == "router")
        for (size_t i = 0; i < v.size; ++i) norm += g[v.offset + i] * g[v.offset + i];
    return std::pair{loss, std::sqrt(norm)};
  };
  const auto [plain, none] = router_grad(0.0);
  const auto [balanced, some] = router_grad(0.5);
  REQUIRE(none == 0.0);
  REQUIRE(some > 1e-6);
  // The same initial draw, so the logistic parts agree; the balancing loss coef * E * sum_e f_e P_e lies in
  // (0, coef * E]: some expert takes inputs, with a positive probability.
  REQUIRE(balanced > plain);
  REQUIRE(balanced - plain <= 0.5 * 4 + 1e-12);
}
