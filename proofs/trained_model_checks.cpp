#include "trained_model_checks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "graphs/encode.hpp"
#include "proofs/disjointness_protocol.hpp"

namespace moesim::proofs {
namespace {

void check_size(const models::OneLayer<double>& model, int n) {
  if (n < 4 || n > kMaxCheckedVertices)
    throw std::invalid_argument("exhaustive checks take 4 to " + std::to_string(kMaxCheckedVertices) + " vertices");
  if (model.config().vocab != graphs::Length2Vocab{n}.size())
    throw std::invalid_argument("the model does not read the length-2 format of " + std::to_string(n) + " vertices");
}

// The model's own answers on every input, index a_mask * 2^(n-2) + b_mask.
std::vector<char> model_answers(models::OneLayer<double>& model, int n) {
  const int inner = n - 2, N = graphs::Length2Vocab{n}.length();
  const uint64_t sets = uint64_t{1} << inner, total = sets * sets;
  std::vector<char> out(total);
  std::vector<int> tokens;
  for (uint64_t first = 0; first < total; first += 4096) {
    const uint64_t count = std::min<uint64_t>(4096, total - first);
    tokens.clear();
    for (uint64_t k = first; k < first + count; ++k) {
      const auto t = graphs::encode_length2(graphs::disjointness_from_masks(n, k / sets, k % sets));
      tokens.insert(tokens.end(), t.begin(), t.end());
    }
    model.forward(tokens.data(), nullptr, nullptr, int(count), N);
    const auto o = model.outputs();
    for (uint64_t k = 0; k < count; ++k) out[first + k] = o[k] > 0;
  }
  return out;
}

// Bob's answers from b-bit messages (b = 0: exact) on every input, compared with `answers`: the count of
// disagreements, stopping at `stop` of them.
long disagreements(models::OneLayer<double>& model, int n, int bits, const std::vector<char>& answers, long stop) {
  const int inner = n - 2;
  const uint64_t sets = uint64_t{1} << inner;
  const Protocol protocol(model, n);
  // Alice's message for each a (H (m+1) numbers, rounded) and Bob's share for each b (his positions and the
  // fixed QUERY token): a pair then costs only Bob's last step.
  std::vector<std::vector<double>> alice(sets), bob(sets);
  for (uint64_t x = 0; x < sets; ++x) {
    const auto inst = graphs::disjointness_from_masks(n, x, x);
    alice[x] = protocol.alice(inst, bits);
    bob[x] = protocol.bob(inst);
  }
  long wrong = 0;
  std::vector<double> sums(size_t(protocol.numbers()));
  for (uint64_t x = 0; x < sets && wrong < stop; ++x)
    for (uint64_t y = 0; y < sets && wrong < stop; ++y) {
      for (size_t i = 0; i < sums.size(); ++i) sums[i] = alice[x][i] + bob[y][i];
      wrong += (protocol.finish(sums) > 0) != bool(answers[x * sets + y]);
    }
  return wrong;
}

}  // namespace

long protocol_disagreements(models::OneLayer<double>& model, int n, int bits) {
  check_size(model, n);
  return disagreements(model, n, bits, model_answers(model, n), std::numeric_limits<long>::max());
}

namespace {

ProtocolPrecision precision(models::OneLayer<double>& model, int n, const std::vector<char>& answers) {
  ProtocolPrecision p;
  p.inputs = long(answers.size());
  auto agrees = [&](int b) { return disagreements(model, n, b, answers, 1) == 0; };
  if (!agrees(52)) return p;
  int lo = 0, hi = 52;  // agrees(hi); lo is no width (b = 0 means exact)
  while (hi - lo > 1) {  // the smallest agreeing width, assuming more bits never hurt
    const int mid = (lo + hi) / 2;
    (agrees(mid) ? hi : lo) = mid;
  }
  p.smallest_bits = hi;
  p.bits_sent = long(model.config().heads) * (model.config().m + 1) * (hi + 12);
  return p;
}

WorstCase worst_case(int n, const std::vector<char>& answers) {
  const int inner = n - 2;
  const uint64_t sets = uint64_t{1} << inner;
  WorstCase w;
  w.inputs = long(answers.size());
  for (uint64_t k = 0; k < answers.size(); ++k) {
    const bool truth = ((k / sets) & (k % sets)) != 0;  // a and b share a vertex
    if (bool(answers[k]) == truth) ++w.right;
    else if (!w.witness) w.witness = graphs::disjointness_from_masks(n, k / sets, k % sets);
  }
  return w;
}

}  // namespace

ProtocolPrecision smallest_protocol_bits(models::OneLayer<double>& model, int n) {
  check_size(model, n);
  return precision(model, n, model_answers(model, n));
}

WorstCase exhaustive_worst_case(models::OneLayer<double>& model, int n) {
  check_size(model, n);
  return worst_case(n, model_answers(model, n));
}

ExhaustiveReport examine_exhaustively(models::OneLayer<double>& model, int n) {
  check_size(model, n);
  const auto answers = model_answers(model, n);
  return {precision(model, n, answers), worst_case(n, answers)};
}

}  // namespace moesim::proofs
