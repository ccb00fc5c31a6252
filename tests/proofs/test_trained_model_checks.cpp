// Thm 3.2's mechanism on given models over every input: the dense construction needs one mantissa bit and
// has no failure; a random narrow model is caught failing; a budget below a model's smallest width is
// caught disagreeing with the model.
#include <catch2/catch.hpp>

#include "graphs/encode.hpp"
#include "proofs/length2_construction.hpp"
#include "proofs/trained_model_checks.hpp"

using namespace moesim;

TEST_CASE("trained_model_checks: the dense construction, exactly", "[proofs][trained_model_checks]") {
  auto be = models::make_cpu_backend<double>();
  for (int n : {5, 8}) {
    auto model = proofs::dense_length2_model(*be, n);
    const auto r = proofs::examine_exhaustively(*model, n);
    INFO("|V| = " << n);
    REQUIRE(r.worst.inputs == (1L << (2 * (n - 2))));
    REQUIRE(r.worst.accuracy() == 1.0);
    REQUIRE_FALSE(r.worst.witness);
    REQUIRE(r.protocol.smallest_bits == 1);  // Alice's numbers are small counts: one mantissa bit keeps them
    REQUIRE(r.protocol.bits_sent == long(n + 1) * 13);
    REQUIRE(proofs::smallest_protocol_bits(*model, n).smallest_bits == 1);
  }
}

TEST_CASE("trained_model_checks: a narrow random model fails somewhere, and one bit fewer than its precision disagrees",
          "[proofs][trained_model_checks]") {
  auto be = models::make_cpu_backend<double>();
  const int n = 7;
  const graphs::Length2Vocab voc{n};
  // Random narrow models, dense and MoE, their weights scaled up until some answer hinges on a fine
  // difference (a precision above two bits): the first of them is the model the test examines.
  int examined = 0;
  for (uint64_t seed = 1; seed <= 12 && examined < 2; ++seed)
    for (double scale : {1.0, 4.0, 16.0}) {
      models::OneLayerConfig c{.vocab = voc.size(), .m = 3, .heads = 2, .hidden = 4, .experts = seed % 2 ? 0 : 4};
      models::OneLayer<double> model(c, *be, seed);
      auto w = model.store().download(model.store().params());
      for (double& x : w) x *= scale;
      model.store().upload(model.store().params(), w);
      const auto r = proofs::examine_exhaustively(model, n);
      REQUIRE(r.worst.accuracy() < 1.0);  // a width-3 model cannot decide every input at |V| = 7
      REQUIRE(r.worst.witness);
      REQUIRE(proofs::exhaustive_worst_case(model, n).right == r.worst.right);
      if (r.protocol.smallest_bits <= 2) continue;
      INFO("seed " << seed << " scale " << scale << ": precision " << r.protocol.smallest_bits);
      REQUIRE(proofs::protocol_disagreements(model, n, r.protocol.smallest_bits) == 0);
      REQUIRE(proofs::protocol_disagreements(model, n, r.protocol.smallest_bits - 1) > 0);  // the budget below is caught
      ++examined;
      break;
    }
  REQUIRE(examined == 2);
  models::OneLayer<double> wrong_size(models::OneLayerConfig{.vocab = voc.size(), .m = 3}, *be, 1);
  REQUIRE_THROWS_AS(proofs::examine_exhaustively(wrong_size, n + 1), std::invalid_argument);
}
