#include <catch2/catch.hpp>
#include <set>

#include "models/param_store.hpp"

using namespace moesim::models;

namespace {
ParamTable store_table() {
  ParamTable t;
  t.add("a", {2, 3});
  t.add("b", {4}, false);
  return t;
}
}  // namespace

TEST_CASE("param_store: four zeroed buffers of the table's size, names point at their offsets", "[models][param_store]") {
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, store_table());
  REQUIRE(s.size() == 10);
  for (double* buf : {s.params(), s.grads(), s.m(), s.v()}) REQUIRE(s.download(buf) == std::vector<double>(10, 0.0));
  REQUIRE(s.param("b") == s.params() + 6);
  REQUIRE(s.grad("b") == s.grads() + 6);
  REQUIRE(std::set<double*>{s.params(), s.grads(), s.m(), s.v()}.size() == 4);
}

TEST_CASE("param_store: upload and download round-trip, zeroing touches only its buffers", "[models][param_store]") {
  auto be = make_cpu_backend<double>();
  ParamStore<double> s(*be, store_table());
  std::vector<double> x(10);
  for (int i = 0; i < 10; ++i) x[i] = 0.5 * i - 1;
  for (double* buf : {s.params(), s.grads(), s.m(), s.v()}) s.upload(buf, x);
  s.zero_grads();
  REQUIRE(s.download(s.grads()) == std::vector<double>(10, 0.0));
  REQUIRE(s.download(s.params()) == x);
  s.reset_moments();
  REQUIRE(s.download(s.m()) == std::vector<double>(10, 0.0));
  REQUIRE(s.download(s.v()) == std::vector<double>(10, 0.0));
  REQUIRE(s.download(s.params()) == x);
  REQUIRE_THROWS_WITH(s.upload(s.params(), std::vector<double>(9)), Catch::Contains("size mismatch"));
}
