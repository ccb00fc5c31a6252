// `moesim prove`: runs the executable checks of the theorems (the bounds' values, the dense length-2
// construction with its fixed-point precision, the disjointness protocol, the MoE memorisation
// construction) and writes results/proofs.csv; `moesim prove protocol --checkpoint FILE` runs the
// protocol and a failure-witness search on a saved one-layer model.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "cli/checkpoint_protocol.hpp"
#include "cli/commands.hpp"
#include "usage_error.hpp"
#include "models/atomic_file.hpp"
#include "proofs/checks.hpp"

namespace moesim::sims {
namespace {

struct ProveArgs {
  std::string only, out = "results/proofs.csv";
  int max_nodes = 10;
};

int run_prove(const ProveArgs& a) {
  std::vector<proofs::CheckRow> rows;
  const proofs::CheckOptions options{.max_nodes = a.max_nodes};
  std::string names;
  for (const auto& check : proofs::checks()) {
    names += (names.empty() ? "" : ", ") + std::string(check.name);
    if (a.only.empty() || a.only == check.name)
      for (auto& row : check.run(options)) rows.push_back(std::move(row));
  }
  if (rows.empty())
    throw UsageError("--only: unknown check '" + a.only + "' (accepted: " + names + ")");
  std::ostringstream csv;
  csv << "statement,check,instances,result,detail\n";
  bool ok = true;
  std::printf("%-12s %-70s %10s %6s  %s\n", "statement", "check", "instances", "result", "detail");
  for (const auto& r : rows) {
    std::printf("%-12s %-70s %10ld %6s  %s\n", r.statement.c_str(), r.check.c_str(), r.instances,
                r.result().c_str(), r.detail.c_str());
    csv << '"' << r.statement << "\",\"" << r.check << "\"," << r.instances << ',' << r.result() << ",\"" << r.detail
        << "\"\n";
    ok &= r.ok;
  }
  std::filesystem::create_directories(std::filesystem::path(a.out).parent_path().empty()
                                          ? "." : std::filesystem::path(a.out).parent_path());
  models::write_file_atomic(a.out, csv.str());
  return ok ? 0 : 1;
}

}  // namespace

void add_prove_command(CLI::App& app) {
  auto a = std::make_shared<ProveArgs>();
  auto* p = app.add_subcommand("prove", "Run the theorems' executable checks; write a CSV");
  p->footer("Example:\n  moesim prove --max-nodes 10\nExits 1 if any check fails.");
  p->add_option("--only", a->only, "run one check: bounds | dense-length2 | protocol | memorization");
  p->add_option("--max-nodes", a->max_nodes, "largest |V| of the exhaustive checks (3..12)")->check(CLI::Range(3, 12));
  p->add_option("--out", a->out, "CSV to write (atomically)");
  auto checkpoint = std::make_shared<std::string>();
  auto budget = std::make_shared<long>(1L << 16);
  auto* proto = p->add_subcommand("protocol", "The Thm 3.2 protocol and a failure-witness search on a saved model");
  proto->footer("Example:\n  moesim train --task length2 --model onelayer --nodes 8 --m 2 --out runs/narrow\n"
                "  moesim prove protocol --checkpoint runs/narrow/model.safetensors");
  proto->add_option("--checkpoint", *checkpoint, "model.safetensors of a one-layer length-2 run")->required();
  proto->add_option("--budget", *budget, "inputs tried by the witness search (1..1e8)")->check(CLI::Range(1L, 100000000L));
  proto->callback([checkpoint, budget] {
    if (const int rc = run_checkpoint_protocol(*checkpoint, *budget); rc != 0) throw CLI::RuntimeError(rc);
  });
  p->callback([a, proto] {
    if (proto->parsed()) return;
    if (const int rc = run_prove(*a); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace moesim::sims
