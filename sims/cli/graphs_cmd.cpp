// `moesim graphs sample|calibrate`: graph instances on the command line.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/out_folder.hpp"
#include "cli/finite_range.hpp"
#include "mean_path.hpp"
#include "usage_error.hpp"
#include "graph_output.hpp"
#include "stream_out.hpp"
#include "tasks/shortest_path.hpp"
#include "graphs/calibrate.hpp"

namespace moesim::sims {
namespace {

struct SampleArgs {
  std::string task, format = "jsonl", out;
  int nodes = 0, count = 1, min_hops = 1;
  double p = -1, mean_path = 3.5;
  uint64_t seed = 0;
};

struct CalibrateArgs {
  int nodes = 0, graphs = 0, sources = 0;  // 0: calibrate_p's choice for --nodes
  double mean_path = 3.5;
  uint64_t seed = graphs::CalibrationOptions{}.seed;
};

void run_sample(const SampleArgs& a, bool p_given) {
  graphs::SampleSpec spec{.task = graphs::parse_task(a.task), .nodes = a.nodes, .p = a.p,
                          .count = a.count, .seed = a.seed, .min_hops = a.min_hops};
  const GraphFormat format = parse_graph_format(a.format);
  if (a.min_hops > 1 && spec.task != graphs::Task::ShortestPath)
    throw UsageError("--min-hops applies to --task shortest-path only (the other tasks fix their query)");
  check_min_hops(a.nodes, a.min_hops);
  if (spec.task != graphs::Task::Disjointness && !p_given) {
    spec.p = calibrate_mean_path(a.nodes, a.mean_path).p;
  }
  // In chunks: generated in parallel, written in order, so memory stays bounded whatever --count. The
  // first chunk is made before anything is written, so a p that cannot give the instances writes nothing.
  constexpr int kChunk = 1024;
  StreamOut out(a.out);
  for (int first = 0; first < a.count; first += kChunk) {
    graphs::SampleSpec chunk = spec;
    chunk.first = uint64_t(first), chunk.count = std::min(kChunk, a.count - first);
    std::vector<graphs::Instance> instances;
    try {
      instances = graphs::sample(chunk);
    } catch (const graphs::SamplingError& e) {
      throw UsageError(e.what());
    }
    out.write(format_instances(instances, spec.task, format));
  }
  out.commit();
}

void run_calibrate(const CalibrateArgs& a) {
  const auto c =
      calibrate_mean_path(a.nodes, a.mean_path, {.graphs = a.graphs, .sources = a.sources, .seed = a.seed});
  std::cout << std::setprecision(6) << "p " << c.p << "  mean_path " << c.achieved_mean << " ± ";
  if (std::isfinite(c.achieved_se))
    std::cout << std::setprecision(2) << c.achieved_se << std::setprecision(6);
  else
    std::cout << "n/a (one graph, one source)";
  std::cout << "  nodes " << a.nodes
            << "  graphs " << c.graphs << "  sources " << c.sources << "  (peak mean " << c.peak_mean
            << " at p " << c.peak_p << ")\n";
  if (c.at_peak)
    std::cout << "note: " << a.mean_path << " lies above every reachable mean for " << a.nodes
              << " nodes; p is the peak's, the closest mean there is\n";
}

}  // namespace

void add_graphs_command(CLI::App& app) {
  auto* graphs_cmd = app.add_subcommand("graphs", "Graph instances: sample them, calibrate p");
  graphs_cmd->require_subcommand(1);
  graphs_cmd->footer("Examples:\n  moesim graphs sample --task shortest-path --nodes 25 --count 3 --seed 1\n"
                     "  moesim graphs calibrate --nodes 50 --mean-path 3.5");

  auto a = std::make_shared<SampleArgs>();
  auto* sample = graphs_cmd->add_subcommand("sample", "Write graph instances");
  sample->footer(
      "Example:\n  moesim graphs sample --task shortest-path --nodes 25 --count 3 --seed 1\n"
      "Without --p, p is calibrated so that the mean shortest path is --mean-path (3.5).\n"
      "Instance i depends only on (seed, i); classification tasks alternate labels, positive first.\n"
      "Instances stream in chunks (constant memory); --out appears whole once all are written.");
  sample->add_option("--task", a->task, "shortest-path | connectivity | length2 | disjointness")
      ->required()
      ->check(CLI::IsMember({"shortest-path", "connectivity", "length2", "disjointness"}));
  sample->add_option("--nodes", a->nodes, "number of vertices |V| (3..5000)")
      ->required()
      ->check(CLI::Range(3, 5000));
  auto* p_opt = sample->add_option("--p", a->p, "edge probability of G(n, p), in [0, 1]")
                    ->check(finite_range(0.0, 1.0));
  auto* mean_opt =
      sample->add_option("--mean-path", a->mean_path, "calibrate p to this mean path length (> 1)")
          ->check(finite_range(1.0, 1e6));
  p_opt->excludes(mean_opt);
  sample->add_option("--min-hops", a->min_hops,
                     "shortest-path: ask only about pairs at least this many arcs apart (1..4999; default 1)")
      ->check(CLI::Range(1, 4999));
  sample->add_option("--count", a->count, "number of instances (1..10000000)")
      ->check(CLI::Range(1, 10000000));
  sample->add_option("--seed", a->seed, "random seed (unsigned 64-bit)")->check(unsigned_integer());
  sample->add_option("--format", a->format, "jsonl | dot | tokens")
      ->check(CLI::IsMember({"jsonl", "dot", "tokens"}));
  sample->add_option("--out", a->out, "write to this file (atomically) instead of stdout")->check(non_empty_path());
  sample->callback([a, p_opt] { run_sample(*a, p_opt->count() > 0); });

  auto c = std::make_shared<CalibrateArgs>();
  auto* calibrate = graphs_cmd->add_subcommand("calibrate", "Print the p of G(n, p) at a mean path length");
  calibrate->footer("Example:\n  moesim graphs calibrate --nodes 50 --mean-path 3.5\n"
                    "The mean is measured on a fixed sample (the same graphs for every p) and printed with its\n"
                    "standard error across the sample's graphs.");
  calibrate->add_option("--nodes", c->nodes, "number of vertices (3..5000)")
      ->required()
      ->check(CLI::Range(3, 5000));
  calibrate->add_option("--mean-path", c->mean_path, "target mean shortest-path length (> 1)")
      ->check(finite_range(1.0, 1e6));
  calibrate->add_option("--graphs", c->graphs,
                        "graphs in the fixed calibration sample (1..100000; default by --nodes: 400 up to 200, "
                        "then 80000/nodes, at least 64)")
      ->check(CLI::Range(1, 100000));
  calibrate->add_option("--sources", c->sources,
                        "BFS sources per graph (1..5000; default: every vertex up to 64 nodes, else 16)")
      ->check(CLI::Range(1, 5000));
  calibrate->add_option("--seed", c->seed, "seed of the calibration sample")->check(unsigned_integer());
  calibrate->callback([c] { run_calibrate(*c); });
}

}  // namespace moesim::sims
