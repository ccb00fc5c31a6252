#pragma once
// The phone book (docs/claims.md: claim 2, [MoP] §4): `entries` unique 5-letter names with unique 8-digit numbers, each a
// sequence BOS name SEP number EOS; the loss covers every token (the paper's setting: the book is memorised
// whole) and the test asks, for `test_count` names of the book, for the number and its EOS.
// Vocabulary: a-z = 0..25, 0-9 = 26..35, BOS 36, EOS 37, SEP 38 (39 tokens); PAD reuses EOS (masked).
#include <cstdint>

#include "tasks/sequence_data.hpp"

namespace moesim::sims {

SequenceData make_phonebook(int entries, int test_count, uint64_t seed);

}  // namespace moesim::sims
