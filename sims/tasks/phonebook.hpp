#pragma once
// The phone book (docs/claims.md: claim 2, [MoP] §4): `entries` unique 5-letter names with unique 8-digit numbers, each a
// sequence BOS name SEP number EOS; the loss covers every token (the paper's setting: the book is memorised
// whole) and the test asks, for `test_count` names of the book, for the number and its EOS.
// Vocabulary: a-z = 0..25, 0-9 = 26..35, BOS 36, EOS 37, SEP 38 (39 tokens); PAD reuses EOS (masked).
#include <cstdint>
#include <vector>

#include "tasks/sequence_data.hpp"

namespace moesim::sims {

// The book in its (random) order: name in [0, 26^5), number in [0, 10^8), both unique. Drawn one after the
// other from graphs::Rng(seed) (a name or number already taken is drawn again), so it is sequential.
struct PhonebookEntry {
  uint64_t name = 0, number = 0;
};
std::vector<PhonebookEntry> phonebook_entries(int entries, uint64_t seed);
// BOS, the name's letters (name mod 26 first), SEP, the number's digits (number mod 10 first), EOS.
SequenceExample phonebook_example(const PhonebookEntry& entry);

SequenceData make_phonebook(int entries, int test_count, uint64_t seed);

}  // namespace moesim::sims
