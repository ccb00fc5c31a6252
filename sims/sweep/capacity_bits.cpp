#include "sweep/capacity_bits.hpp"

#include <cmath>

#include "sweep/sweep_runner.hpp"

namespace moesim::sims {

double binary_entropy(double p) {
  if (p <= 0 || p >= 1) return 0;
  return -p * std::log2(p) - (1 - p) * std::log2(1 - p);
}

double label_bits(double n, double accuracy) { return accuracy <= 0.5 ? 0.0 : n * (1 - binary_entropy(1 - accuracy)); }

double phonebook_bits(double n, double accuracy) { return n * std::max(0.0, accuracy) * std::log2(1e8); }

std::vector<double> seed_bits(const PointResult& pr, const std::string& key, CapacityUnit unit) {
  std::vector<double> out;
  for (const auto& s : pr.seeds) {
    if (s.failed) continue;
    const bool passed = s.record && s.search && s.search->value.has_value() && s.record->config.contains(key);
    if (!passed) {
      out.push_back(NAN);
      continue;
    }
    const double n = s.record->config.at(key).get<double>(), acc = s.record->result.last().test_metric;
    out.push_back(unit == CapacityUnit::Labels ? label_bits(n, acc) : phonebook_bits(n, acc));
  }
  return out;
}

}  // namespace moesim::sims
