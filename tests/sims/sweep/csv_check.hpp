#pragma once
// Hand-made run records and seeds for aggregation tests, and a reader of one CSV cell by row and column.
#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sweep/aggregate.hpp"

namespace moesim::testing::csv {

// A record with one evaluation, 1,000 total and 250 active non-embedding parameters.
inline sims::RunRecord record(double test, double train, const char* status = "completed",
                              std::map<std::string, double> metrics = {}) {
  sims::RunRecord r;
  r.result.status = status;
  r.result.evals.push_back({.step = 1, .loss = 0.5, .train_metric = train, .test_metric = test, .metrics = metrics});
  r.params.non_embedding = 1000, r.params.active_non_embedding = 250;
  return r;
}

// A seed whose search found `value` (none: nothing in range passed).
// `key`: the searched option, set in the record's config to the value (as a real run's record holds it).
inline sims::SeedResult searched(uint64_t seed, std::optional<long> value, bool censored = false,
                                 const std::string& key = "") {
  sims::SeedResult r{.seed = seed};
  r.search = sims::SearchOutcome{.value = value, .censored = censored};
  if (value) r.record = record(0.96, 0.99);
  if (value && !key.empty()) r.record->config[key] = *value;
  return r;
}

inline sims::SeedResult plain(uint64_t seed, sims::RunRecord r) { return {.seed = seed, .record = std::move(r)}; }

inline std::vector<std::string> cells(const std::string& text, int line) {
  std::istringstream in(text);
  std::string row;
  for (int i = 0; i <= line; ++i) std::getline(in, row);
  std::vector<std::string> out;
  std::stringstream fields(row);
  for (std::string f; std::getline(fields, f, ',');) out.push_back(f);
  if (!row.empty() && row.back() == ',') out.push_back("");
  return out;
}

// The cell of `column` in row `line` (1: the first row after the header).
inline std::string at(const std::string& text, int line, const std::string& column) {
  const auto head = cells(text, 0), row = cells(text, line);
  for (size_t i = 0; i < head.size(); ++i)
    if (head[i] == column) return i < row.size() ? row[i] : "";
  FAIL("no column " << column);
  return "";
}

}  // namespace moesim::testing::csv
