#pragma once
// What a memorised set holds, in bits, from its size and the accuracy it is recalled with; and per seed of
// a capacity search, at the seed's largest passing size.
//
// Labels (gaussian): n random ±1 labels recalled with accuracy a are n uses of a binary symmetric channel
// with error e = 1 - a, which carries n (1 - H2(e)) bits (H2 the binary entropy; a <= 1/2: nothing). A
// label recalled at 90% is 0.53 bits, not 1.
// Phone book: a share a of the n numbers recalled exactly, each one of 10^8 uniformly drawn numbers, is
// n a log2(10^8) bits (numbers recalled wrong count for nothing: a lower bound on what the model holds).
#include <string>
#include <vector>

namespace moesim::sims {

struct PointResult;

double binary_entropy(double p);  // H2(p) in bits, H2(0) = H2(1) = 0
double label_bits(double n, double accuracy);
double phonebook_bits(double n, double accuracy);

enum class CapacityUnit { Labels, PhoneNumbers };
// Each seed's bits at its search value (the option `key` of the seed's record, scored by its test metric);
// NaN for a seed without a passing value.
std::vector<double> seed_bits(const PointResult& pr, const std::string& key, CapacityUnit unit);

}  // namespace moesim::sims
