#pragma once
// A number as text: the shortest that reads back the same ("0.95", "1e-05", "64").
#include <string>

namespace moesim::sims {

std::string number_text(double v);
// A CSV cell: the number, or empty where there is none (NaN, infinite).
std::string cell_text(double v);

}  // namespace moesim::sims
