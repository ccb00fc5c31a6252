#include <catch2/catch.hpp>
#include <cmath>

#include "graphs/encode.hpp"
#include "graphs/rng.hpp"
#include "proofs/disjointness_protocol.hpp"
#include "proofs/length2_construction.hpp"

using namespace moesim;

TEST_CASE("protocol: Bob's answer equals the model's forward pass (dense, MoE hard and switch, EMPTY masked or not)",
          "[proofs][disjointness_protocol]") {
  auto be = models::make_cpu_backend<double>();
  const int n = 7;
  const graphs::Length2Vocab voc{n};
  struct Case { int experts; bool switch_gate; int masked = -1; };
  for (Case cs : {Case{0, false}, Case{5, false}, Case{5, true}, Case{0, false, graphs::Length2Vocab::empty},
                  Case{5, false, graphs::Length2Vocab::empty}}) {
    models::OneLayerConfig c{.vocab = voc.size(), .m = 4, .heads = 2, .hidden = 6, .experts = cs.experts,
                             .switch_gate = cs.switch_gate, .masked_token = cs.masked};
    models::OneLayer<double> model(c, *be, 11);
    graphs::Rng rng(3);
    for (int i = 0; i < 50; ++i) {
      const auto inst = graphs::random_disjointness_instance(n, i % 2 == 0, rng);
      const auto run = proofs::run_protocol(model, inst);
      INFO("experts " << cs.experts << " instance " << i);
      REQUIRE(run.bob_output == Approx(run.model_output).epsilon(1e-12).margin(1e-12));
      REQUIRE(run.numbers_sent == 2 * (4 + 1));
    }
  }
}

TEST_CASE("protocol: on the dense construction 8-bit messages keep every answer", "[proofs][disjointness_protocol]") {
  auto be = models::make_cpu_backend<double>();
  const int n = 6;
  auto model = proofs::dense_length2_model(*be, n);
  for (uint64_t a = 0; a < 16; ++a)
    for (uint64_t b = 0; b < 16; ++b) {
      std::vector<int> sa, sb;
      for (int i = 0; i < 4; ++i) {
        if (a >> i & 1) sa.push_back(i + 1);
        if (b >> i & 1) sb.push_back(i + 1);
      }
      const auto inst = graphs::disjointness_instance(n, sa, sb);
      const auto run = proofs::run_protocol(*model, inst, 8);
      REQUIRE((run.bob_output > 0) == inst.label);
      REQUIRE((run.model_output > 0) == inst.label);
      REQUIRE(run.bits_sent == (n + 1) * (8 + 12));
    }
}

TEST_CASE("protocol: mantissa rounding", "[proofs][disjointness_protocol]") {
  REQUIRE(proofs::round_mantissa(1.0, 3) == 1.0);
  REQUIRE(proofs::round_mantissa(0.7, 2) == 0.75);
  REQUIRE(proofs::round_mantissa(-5.3, 3) == -5.0);
  REQUIRE(proofs::round_mantissa(0.0, 4) == 0.0);
}
