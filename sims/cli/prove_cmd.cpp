// `moesim prove`: runs the executable checks of the theorems (the bounds' values, the dense length-2
// construction with its fixed-point precision, the disjointness protocol, the MoE memorisation
// construction) and writes results/proofs.csv; `moesim prove protocol --checkpoint FILE` runs the
// protocol and a failure-witness search on a saved one-layer model.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/checkpoint_protocol.hpp"
#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "usage_error.hpp"
#include "models/atomic_file.hpp"
#include "proofs/checks.hpp"

namespace moesim::sims {
namespace {

struct ProveArgs {
  std::string only, out = "results/proofs.csv";
  int max_nodes = 10;
};

constexpr const char* kHeader = "name,statement,check,instances,result,detail";

std::string csv_row(const std::string& name, const proofs::CheckRow& r) {
  return name + ",\"" + r.statement + "\",\"" + r.check + "\"," + std::to_string(r.instances) + ',' + r.result() + ",\"" +
         r.detail + "\"";
}

// The rows already in `file` by check name (the first column), for `--only` to keep the others.
std::map<std::string, std::vector<std::string>> existing_rows(const std::string& file) {
  std::map<std::string, std::vector<std::string>> rows;
  std::ifstream in(file);
  if (!in) return rows;
  std::string line;
  std::getline(in, line);
  if (line != kHeader)
    throw UsageError("--only: " + file + " has other columns than this moesim writes (" + kHeader +
                     "); run moesim prove whole, or write elsewhere with --out");
  while (std::getline(in, line))
    if (!line.empty()) rows[line.substr(0, line.find(','))].push_back(line);
  return rows;
}

int run_prove(const ProveArgs& a) {
  std::string names;
  bool known = a.only.empty();
  for (const auto& check : proofs::checks()) {
    names += (names.empty() ? "" : ", ") + std::string(check.name);
    known |= a.only == check.name;
  }
  if (!known) throw UsageError("--only: unknown check '" + a.only + "' (accepted: " + names + ")");
  const auto kept = a.only.empty() ? std::map<std::string, std::vector<std::string>>{} : existing_rows(a.out);
  const proofs::CheckOptions options{.max_nodes = a.max_nodes};
  std::ostringstream csv;
  csv << kHeader << "\n";
  bool ok = true;
  std::printf("%-12s %-70s %10s %6s  %s\n", "statement", "check", "instances", "result", "detail");
  for (const auto& check : proofs::checks()) {
    if (!a.only.empty() && a.only != check.name) {  // another check's rows, as the file had them
      if (kept.count(check.name))
        for (const auto& line : kept.at(check.name)) csv << line << "\n";
      continue;
    }
    for (const auto& r : check.run(options)) {
      std::printf("%-12s %-70s %10ld %6s  %s\n", r.statement.c_str(), r.check.c_str(), r.instances,
                  r.result().c_str(), r.detail.c_str());
      csv << csv_row(check.name, r) << "\n";
      ok &= r.ok;
    }
  }
  const auto parent = std::filesystem::path(a.out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  models::write_file_atomic(a.out, csv.str());
  return ok ? 0 : 1;
}

}  // namespace

void add_prove_command(CLI::App& app) {
  auto a = std::make_shared<ProveArgs>();
  auto* p = app.add_subcommand("prove", "Run the theorems' executable checks; write a CSV");
  p->footer("Examples:\n  moesim prove --max-nodes 10\n  moesim prove --only protocol --out results/proofs.csv\nExits 1 if any check fails.");
  p->add_option("--only", a->only, "run one check (bounds, dense-length2, protocol, memorization); the CSV keeps the others' rows");
  p->add_option("--max-nodes", a->max_nodes, "largest |V| of the exhaustive checks (3..12)")->check(CLI::Range(3, 12));
  p->add_option("--out", a->out, "CSV to write (atomically)")->check(non_empty_path());
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
