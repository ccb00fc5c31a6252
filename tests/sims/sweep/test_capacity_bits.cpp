// The bits estimators on hand-made cases.
#include <catch2/catch.hpp>
#include <cmath>

#include "sweep/capacity_bits.hpp"

using namespace moesim::sims;

TEST_CASE("capacity_bits: labels carry n (1 - H2(error)) bits, phone numbers n acc log2(10^8)", "[sims][capacity_bits]") {
  REQUIRE(binary_entropy(0.5) == 1.0);
  REQUIRE(binary_entropy(0.0) == 0.0);
  REQUIRE(binary_entropy(1.0) == 0.0);
  REQUIRE(binary_entropy(0.11) == Approx(0.4999).epsilon(1e-3));  // H2(0.11) is about 1/2
  REQUIRE(label_bits(1000, 1.0) == 1000);                         // every label right: a bit each
  REQUIRE(label_bits(1000, 0.5) == 0);                            // chance: nothing
  REQUIRE(label_bits(1000, 0.3) == 0);                            // below chance counts as nothing, not negative
  REQUIRE(label_bits(1000, 0.9) == Approx(1000 * (1 - binary_entropy(0.1))));
  REQUIRE(label_bits(1000, 0.9) == Approx(531.0).epsilon(1e-3));  // 90%: 0.53 bits a label, not 1
  REQUIRE(phonebook_bits(100, 1.0) == Approx(100 * 8 * std::log2(10.0)));  // 26.6 bits a number
  REQUIRE(phonebook_bits(100, 0.5) == Approx(50 * std::log2(1e8)));
  REQUIRE(phonebook_bits(100, 0.0) == 0);
}
