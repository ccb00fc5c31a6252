// The training step recorded once and replayed (models/train_step.hpp). The CPU backend records nothing, so
// these tests record on the probe backend, which keeps the ops and replays them with the arguments they were
// recorded with, as a CUDA graph does: a value that should change from step to step but was passed by value
// (the learning rate, the bias corrections), or a host buffer that moved, would replay stale here as on a GPU.
#include <catch2/catch.hpp>
#include <vector>

#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/one_layer.hpp"
#include "models/train_step.hpp"
#include "models/transformer.hpp"
#include "probe_backend.hpp"

using namespace moesim::models;

namespace {

enum class Family { Transformer, TransformerMoe, OneLayerTokens, OneLayerMoe, OneLayerVectors };

std::unique_ptr<Model<float>> make_model(Family f, Backend<float>& be) {
  switch (f) {
    case Family::Transformer:
    case Family::TransformerMoe: {
      TransformerConfig c{.vocab = 11, .d = 16, .layers = 2, .heads = 2, .max_len = 6, .z_coef = 1e-3};
      if (f == Family::TransformerMoe) c.experts = 4, c.top_k = 2, c.renormalize = false;
      return std::make_unique<Transformer<float>>(c, be, 3);
    }
    case Family::OneLayerTokens:
      return std::make_unique<OneLayer<float>>(OneLayerConfig{.vocab = 11, .m = 8, .heads = 2, .hidden = 16}, be, 3);
    case Family::OneLayerMoe:
      return std::make_unique<OneLayer<float>>(
          OneLayerConfig{.vocab = 11, .m = 8, .heads = 2, .hidden = 16, .experts = 4, .switch_gate = true}, be, 3);
    case Family::OneLayerVectors:
      return std::make_unique<OneLayer<float>>(OneLayerConfig{.input_dim = 3, .m = 8, .heads = 2, .hidden = 16}, be, 3);
  }
  return nullptr;
}

// Step s's batch of B sequences of length 6, as the family reads it.
Batch make_batch(Family f, long s, int B) {
  moesim::graphs::Rng rng(5, uint64_t(s));
  Batch b{.B = B, .T = 6};
  const bool transformer = f == Family::Transformer || f == Family::TransformerMoe;
  for (int i = 0; i < B * 6; ++i) {
    if (f == Family::OneLayerVectors) {
      for (int j = 0; j < 3; ++j) b.x.push_back(float(rng.uniform() * 2 - 1));
    } else {
      b.tokens.push_back(int(rng.below(11)));
    }
  }
  if (transformer) {
    for (int t : b.tokens) b.targets.push_back((t * 3 + 1) % 11);
    b.weights.assign(size_t(B) * 6, 1.f / float(B * 6));
  } else {
    for (int r = 0; r < B; ++r) b.labels.push_back(rng.below(2) ? 1.f : -1.f);
  }
  return b;
}

struct Trace {
  std::vector<double> losses;
  std::vector<float> params;
  long recordings = 0, replays = 0;
};

// 12 steps with a learning rate that changes every step (warmup, then linear decay); after step 6 an
// evaluation of a larger batch moves the model's memory (the arena and the staging buffer grow), so a graph
// replayed from before it would read freed memory.
Trace train(Family f, Backend<float>& be, bool record) {
  auto model = make_model(f, be);
  AdamW<float> opt({.lr = 1e-2, .warmup = 0.5}, model->store());
  TrainStep<float> step(*model, opt, record);
  Trace t;
  for (long s = 0; s < 12; ++s) {
    t.losses.push_back(step.run(make_batch(f, s, 8), s, 12));
    if (s == 6) {
      Batch eval = make_batch(f, 100, 16);
      eval.targets.clear(), eval.weights.clear(), eval.labels.clear();
      model->forward(eval);
    }
  }
  t.params = model->store().download(model->store().params());
  t.recordings = step.recordings(), t.replays = step.replays();
  return t;
}

}  // namespace

TEST_CASE("train_step: recorded and replayed steps give the bits of direct steps, every model family",
          "[models][train_step]") {
  auto cpu = make_cpu_backend<float>();
  for (Family f : {Family::Transformer, Family::TransformerMoe, Family::OneLayerTokens, Family::OneLayerMoe,
                   Family::OneLayerVectors}) {
    DYNAMIC_SECTION("family " << int(f)) {
      ProbeBackend<float> probe(*cpu);
      const Trace direct = train(f, *cpu, true);  // the CPU backend cannot record: every step direct
      const Trace recorded = train(f, probe, true);
      REQUIRE(direct.recordings == 0);
      // Steps 0 and 7 run directly (a new layout each: the first step, then the one after the evaluation),
      // steps 1 and 8 record, and every other step replays.
      REQUIRE(recorded.recordings == 2);
      REQUIRE(recorded.replays == 10);
      REQUIRE(recorded.losses == direct.losses);
      REQUIRE(recorded.params == direct.params);
    }
  }
}

TEST_CASE("train_step: a replayed step makes the direct step's transfers, and none outside them",
          "[models][train_step]") {
  // A replay runs the recorded uploads (the batch, the optimizer's schedule) and the loss's download again.
  auto cpu = make_cpu_backend<float>();
  ProbeBackend<float> probe(*cpu);
  auto model = make_model(Family::TransformerMoe, probe);
  AdamW<float> opt({}, model->store());
  TrainStep<float> step(*model, opt);
  for (long s = 0; s < 4; ++s) {
    probe.uploads = probe.downloads = 0;
    step.run(make_batch(Family::TransformerMoe, s, 8), s, 4);
    CHECK(probe.uploads == 2);
    CHECK(probe.downloads == 1);
  }
  REQUIRE(step.replays() == 3);
  REQUIRE(probe.recorded_ops() > 0);
}

TEST_CASE("train_step: a step asked for its routing runs directly, between forward and backward",
          "[models][train_step]") {
  auto cpu = make_cpu_backend<float>();
  ProbeBackend<float> probe(*cpu);
  auto model = make_model(Family::OneLayerMoe, probe);
  AdamW<float> opt({}, model->store());
  TrainStep<float> step(*model, opt);
  for (long s = 0; s < 3; ++s) step.run(make_batch(Family::OneLayerMoe, s, 8), s, 5);
  REQUIRE(step.replays() == 2);
  std::vector<RoutingStats> routing;
  const Batch batch = make_batch(Family::OneLayerMoe, 3, 8);
  step.run(batch, 3, 5, &routing);
  REQUIRE(step.replays() == 2);
  REQUIRE(routing.size() == 1);
  double share = 0;
  for (double l : routing[0].load) share += l;
  REQUIRE(share == Approx(1.0));
  REQUIRE(step.run(batch, 4, 5) > 0);  // and the recorded step still replays after it
  REQUIRE(step.replays() == 3);
}

TEST_CASE("train_step: the probe refuses what a CUDA graph cannot hold", "[models][train_step]") {
  // What makes the tests above worth their name: a recorded transfer from pageable host memory, or a value
  // returned to the host while recording, is refused, as it would fail (or replay stale) on a GPU.
  auto cpu = make_cpu_backend<float>();
  ProbeBackend<float> probe(*cpu);
  auto* device = static_cast<float*>(probe.alloc(4 * sizeof(float)));
  std::vector<float> pageable(4, 1.f);
  auto* pinned = static_cast<float*>(probe.alloc_host(4 * sizeof(float)));
  for (int i = 0; i < 4; ++i) pinned[i] = 9.f;
  probe.begin_capture();
  REQUIRE_THROWS_WITH(probe.upload(device, pageable.data(), 4 * sizeof(float)),
                      Catch::Contains("host memory that alloc_host() did not give"));
  REQUIRE_THROWS_WITH(probe.sum_squares(device, 4), Catch::Contains("cannot be recorded"));
  probe.upload(device, pinned, 4 * sizeof(float));
  probe.download(pinned, device, 4 * sizeof(float));
  probe.end_capture();
  REQUIRE(probe.uploads == 0);  // recorded, not run
  // The replay reads the host memory when it runs (0 1 2 3), not what it held when recorded (9s).
  for (int i = 0; i < 4; ++i) pinned[i] = float(i);
  probe.replay();
  REQUIRE(std::vector<float>(pinned, pinned + 4) == std::vector<float>{0.f, 1.f, 2.f, 3.f});
  REQUIRE(probe.uploads == 1);
  probe.release_host(pinned);
  probe.release(device);
}

TEST_CASE("train_step: a step that cannot be recorded runs directly, with the same bits", "[models][train_step]") {
  auto cpu = make_cpu_backend<float>();
  ProbeBackend<float> probe(*cpu);
  probe.refuse_recording = true;
  const Trace direct = train(Family::TransformerMoe, *cpu, true);
  const Trace refused = train(Family::TransformerMoe, probe, true);
  REQUIRE(refused.recordings == 0);
  REQUIRE(refused.replays == 0);
  REQUIRE(refused.losses == direct.losses);
  REQUIRE(refused.params == direct.params);
}

TEST_CASE("train_step: two models on one backend never replay each other's graph", "[models][train_step]") {
  // A backend keeps one graph: each model's recording makes the other's stale (Backend::epoch), and the
  // step records again instead of replaying it.
  // Six steps of a one-layer model and a Transformer in turn on `be`; the one-layer model's recordings.
  auto alternate = [](Backend<float>& be, long& recordings) {
    auto a = make_model(Family::OneLayerTokens, be), b = make_model(Family::Transformer, be);
    AdamW<float> oa({.lr = 1e-2}, a->store()), ob({.lr = 1e-2}, b->store());
    TrainStep<float> sa(*a, oa), sb(*b, ob);
    std::vector<double> losses;
    for (long s = 0; s < 6; ++s) {
      losses.push_back(sa.run(make_batch(Family::OneLayerTokens, s, 8), s, 6));
      losses.push_back(sb.run(make_batch(Family::Transformer, s, 8), s, 6));
    }
    recordings = sa.recordings();
    return losses;
  };
  auto cpu = make_cpu_backend<float>();
  ProbeBackend<float> probe(*cpu);
  long recordings = 0, none = 0;
  const auto shared = alternate(probe, recordings);
  REQUIRE(recordings == 5);  // steps 1-5 each record again: the other model recorded in between
  REQUIRE(shared == alternate(*cpu, none));  // each step direct on the CPU backend
}
