#include <catch2/catch.hpp>

#include "graphs/encode.hpp"
#include "proofs/failure_witness.hpp"
#include "proofs/length2_construction.hpp"

using namespace moesim;

TEST_CASE("failure witness: a width-1 model is caught, the width-|V| construction has none", "[proofs][failure_witness]") {
  auto be = models::make_cpu_backend<double>();
  const int n = 7;
  const graphs::Length2Vocab voc{n};
  for (int experts : {0, 8}) {  // a narrow dense model and a narrow MoE with many experts
    models::OneLayerConfig c{.vocab = voc.size(), .m = 1, .heads = 1, .hidden = 4, .experts = experts};
    models::OneLayer<double> narrow(c, *be, 2);
    const auto s = proofs::find_failure(narrow, n, 1 << 12, 1);
    REQUIRE(s.exhaustive);
    REQUIRE(s.witness.has_value());
  }
  auto wide = proofs::dense_length2_model(*be, n);
  const auto s = proofs::find_failure(*wide, n, 1 << 12, 1);
  REQUIRE(s.exhaustive);
  REQUIRE(s.tried == 1 << 10);
  REQUIRE_FALSE(s.witness.has_value());
}
