#pragma once
// The theorems' executable checks, each a function that returns its rows: what `moesim prove` prints and
// results/proofs.csv holds. A row is a check run on instances (pass or FAIL) or a value shown for
// reference (info).
#include <string>
#include <vector>

namespace moesim::proofs {

struct CheckRow {
  std::string statement, check;
  long instances = 0;  // 0: a value shown for reference, not a check
  bool ok = true;
  std::string detail;
  std::string result() const { return instances == 0 ? "info" : ok ? "pass" : "FAIL"; }
};

struct CheckOptions {
  int max_nodes = 10;                                      // largest |V| of the exhaustive checks (3..12)
  std::vector<int> random_nodes = {16, 32, 64, 128, 256};  // sizes of the dense construction's random inputs
  std::vector<int> memorization_sizes = {256, 1024, 4096, 16384};  // n of Thm 3.5's construction
};

// Thm 3.2-3.4's values at the paper's graph size (info).
std::vector<CheckRow> check_bounds(const CheckOptions& o);
// Thm 3.3: the dense construction decides every input up to max_nodes and random ones beyond; the smallest
// fixed-point precision that keeps every answer.
std::vector<CheckRow> check_dense_length2(const CheckOptions& o);
// Thm 3.2's protocol: Bob reproduces random dense and MoE models; the dense construction answers through
// b-bit messages.
std::vector<CheckRow> check_protocol(const CheckOptions& o);
// Thm 3.5: the MoE construction memorises n Gaussian labels at K = 1 and K = sqrt(n/m).
std::vector<CheckRow> check_memorization(const CheckOptions& o);

struct Check {
  const char* name;  // `moesim prove --only NAME`
  std::vector<CheckRow> (*run)(const CheckOptions&);
};
// bounds, dense-length2, protocol, memorization: in the order `moesim prove` runs them.
const std::vector<Check>& checks();

}  // namespace moesim::proofs
