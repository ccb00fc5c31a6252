#include <catch2/catch.hpp>

#include "graphs/encode.hpp"
#include "proofs/length2_construction.hpp"

using namespace moesim;

TEST_CASE("length-2 construction: the dense width-|V| model answers every input", "[proofs][length2_construction]") {
  auto be = models::make_cpu_backend<double>();
  for (int n = 3; n <= 8; ++n) {
    const auto r = proofs::check_dense_length2_exhaustive(*be, n);
    INFO("n = " << n << ": " << r.wrong << " wrong of " << r.instances);
    REQUIRE(r.instances == 1L << (2 * (n - 2)));
    REQUIRE(r.ok());
  }
  const auto r = proofs::check_dense_length2_random(*be, 40, 200, 1);
  REQUIRE(r.ok());
}

TEST_CASE("length-2 construction: a broken weight is caught", "[proofs][length2_construction]") {
  auto be = models::make_cpu_backend<double>();
  const int n = 6;
  auto model = proofs::dense_length2_model(*be, n);
  auto& store = model->store();
  auto p = store.download(store.params());
  p[store.table()["b"].offset + 2] = 0.0;  // vertex 2's neuron now fires on a single arc
  store.upload(store.params(), p);
  // Re-run the exhaustive check's inputs through the broken model: some answers must be wrong.
  std::vector<int> tokens;
  const graphs::Length2Vocab voc{n};
  auto inst = graphs::disjointness_instance(n, {2}, {});  // one arc (s,2): no length-2 path
  tokens = graphs::encode_length2(inst);
  model->forward(tokens.data(), nullptr, nullptr, 1, voc.length());
  REQUIRE(model->outputs()[0] > 0);  // the broken model says "path"
  REQUIRE_FALSE(inst.label);
}
