// `moesim bench graphs`: moesim against its peers, side by side in one run.
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "bench/graphs_bench.hpp"
#include "bench/peer.hpp"
#include "cli/commands.hpp"
#include "graphs/calibrate.hpp"

namespace moesim::sims {
namespace {

struct GraphsBenchArgs {
  int nodes = 50;
  double mean_path = 3.5, seconds = 2.0;
  bool peer = true;
};

void run_graphs_bench(const GraphsBenchArgs& a) {
  const auto cal = graphs::calibrate_p(a.nodes, a.mean_path);
  std::printf("workload: G(%d, p=%.6g) at mean path %.3f, one shortest-path query per graph, 1 core\n",
              a.nodes, cal.p, cal.achieved_mean);
  const auto ours = bench_shortest_path_instances(a.nodes, cal.p, a.seconds);
  std::printf("%-22s %14s\n", "implementation", "instances/s");
  std::printf("%-22s %14.0f\n", "moesim (Boost.Graph)", ours.per_second());
  if (!a.peer) return;
  std::ostringstream args;
  args.precision(17);
  args << "--nodes " << a.nodes << " --p " << cal.p << " --seconds " << a.seconds;
  const auto peer = run_python_peer("networkx_graphs.py", args.str(), "instances_per_second");
  if (!peer.value) {
    std::printf("%-22s %14s  (%s)\n", "networkx", "n/a", peer.output.c_str());
    return;
  }
  std::printf("%-22s %14.0f\n", "networkx", *peer.value);
  std::printf("ratio moesim/networkx: %.1fx\n", ours.per_second() / *peer.value);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* bench = app.add_subcommand("bench", "Benchmarks against peer implementations");
  bench->require_subcommand(1);

  auto g = std::make_shared<GraphsBenchArgs>();
  auto* graphs_cmd = bench->add_subcommand("graphs", "Instances/s of G(n,p) + shortest path vs NetworkX");
  graphs_cmd->footer("Example:\n  moesim bench graphs --nodes 50 --seconds 2");
  graphs_cmd->add_option("--nodes", g->nodes, "vertices (3..5000)")->check(CLI::Range(3, 5000));
  graphs_cmd->add_option("--mean-path", g->mean_path, "calibrate p to this mean path length")
      ->check(CLI::Range(1.0, 1e6));
  graphs_cmd->add_option("--seconds", g->seconds, "time per side (0.1..600)")
      ->check(CLI::Range(0.1, 600.0));
  graphs_cmd->add_flag("!--no-peer", g->peer, "skip the NetworkX peer");
  graphs_cmd->callback([g] { run_graphs_bench(*g); });
}

}  // namespace moesim::sims
