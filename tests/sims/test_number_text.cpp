#include <catch2/catch.hpp>

#include "number_text.hpp"

using moesim::sims::number_text;

TEST_CASE("number_text: the shortest text that reads back the same", "[sims][number_text]") {
  REQUIRE(number_text(0.95) == "0.95");
  REQUIRE(number_text(1e-5) == "1e-05");
  REQUIRE(number_text(64) == "64");
  REQUIRE(std::stod(number_text(949.0 / 3072.0)) == 949.0 / 3072.0);
}
