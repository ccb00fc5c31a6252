// `moesim bench graphs|train|onelayer|attention`: moesim against its peers (and against itself before and after a
// change of method), side by side in one run.
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/attention_bench.hpp"
#include "bench/graphs_bench.hpp"
#include "bench/onelayer_bench.hpp"
#include "bench/peer.hpp"
#include "bench/train_bench.hpp"
#include "cli/commands.hpp"
#include "cli/finite_range.hpp"
#include "data_paths.hpp"
#include "device.hpp"
#include "graphs/encode.hpp"
#include "models/config.hpp"
#include "mean_path.hpp"
#include "models/device_info.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

struct GraphsBenchArgs {
  int nodes = 50, repeats = 3;
  double mean_path = 3.5, seconds = 2.0;
  bool peer = true;
};

// Rates of one row over the repeats: median and range.
struct Rates {
  std::vector<double> values;
  double median() const {
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  }
  void print(const std::string& name) const {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    std::printf("%-34s %14.0f   [%.0f, %.0f]\n", name.c_str(), median(), *lo, *hi);
  }
};

void run_graphs_bench(const GraphsBenchArgs& a) {
  const auto cal = calibrate_mean_path(a.nodes, a.mean_path);
  const int cores = omp_get_num_procs();
  std::printf("workload: G(%d, p=%.6g) at mean path %.3f, one shortest-path query per graph\n", a.nodes, cal.p,
              cal.achieved_mean);
  std::printf("  generation: the instance only, 1 core\n"
              "  + export:   the instance as a JSONL line (moesim data --format jsonl; the peer: json.dumps)\n"
              "  %d rounds, every side once per round in turn, %.1f s each; median [min, max]\n", a.repeats, a.seconds);
  std::ostringstream args;
  args.precision(17);
  args << "--nodes " << a.nodes << " --p " << cal.p << " --seconds " << a.seconds;
  Rates gen, one, all, peer, peer_export;
  double mb_one = 0;
  std::string peer_problem;
  for (int r = 0; r < a.repeats; ++r) {  // interleaved, so a slow spell of the machine hits every side
    gen.values.push_back(bench_shortest_path_instances(a.nodes, cal.p, a.seconds).per_second());
    const auto e1 = bench_shortest_path_export(a.nodes, cal.p, a.seconds, 1);
    one.values.push_back(e1.per_second());
    mb_one = e1.bytes / e1.seconds / 1e6;
    all.values.push_back(bench_shortest_path_export(a.nodes, cal.p, a.seconds, cores).per_second());
    if (!a.peer || !peer_problem.empty()) continue;
    const auto p = run_python_peer("networkx_graphs.py", args.str(), "instances_per_second");
    const auto pe = run_python_peer("networkx_graphs.py", args.str() + " --export", "instances_per_second");
    if (!p.value || !pe.value) {
      peer_problem = (p.value ? pe : p).output;
      continue;
    }
    peer.values.push_back(*p.value);
    peer_export.values.push_back(*pe.value);
  }
  std::printf("%-34s %14s   %s\n", "implementation", "instances/s", "[min, max]");
  gen.print("moesim generation, 1 core");
  one.print("moesim + export, 1 core");
  all.print("moesim + export, " + std::to_string(cores) + " threads");
  std::printf("export text: %.0f MB/s on 1 core; %d threads give x%.2f of 1 core\n", mb_one, cores,
              all.median() / one.median());
  if (!a.peer) return;
  if (!peer_problem.empty()) {
    std::printf("%-34s %14s  (%s)\n", "networkx", "n/a", peer_problem.c_str());
    return;
  }
  peer.print("networkx generation, 1 core");
  peer_export.print("networkx + json.dumps, 1 core");
  std::printf("ratio moesim/networkx (medians), generation: %.1fx; with export, 1 core: %.1fx; with export, %d threads: %.1fx\n",
              gen.median() / peer.median(), one.median() / peer_export.median(), cores,
              all.median() / peer_export.median());
}

struct CalibrateBenchArgs {
  std::vector<int> nodes{200, 5000};
  double mean_path = 3.5;
};

void run_calibrate_bench(const CalibrateBenchArgs& a) {
  omp_set_num_threads(1);
  std::vector<CalibrationBenchResult> results;  // all first: a mean out of reach is one line, exit 2
  for (int n : a.nodes) results.push_back(bench_calibration(n, a.mean_path));
  std::printf("calibrate p of directed G(n, p) to mean path %.3f, 1 core, default sample\n", a.mean_path);
  std::printf("%6s %9s %9s %12s %19s %7s %8s\n", "nodes", "seconds", "target_s", "p", "mean_path ± se", "graphs",
              "sources");
  for (size_t i = 0; i < results.size(); ++i) {
    const int n = a.nodes[i];
    const auto& [seconds, c] = results[i];
    const double target = calibration_target_seconds(n);
    char target_text[16] = "-";
    if (target > 0) std::snprintf(target_text, sizeof target_text, "%.1f", target);
    std::printf("%6d %9.3f %9s %12.6g %10.4f ± %6.4f %7d %8d%s\n", n, seconds, target_text, c.p, c.achieved_mean,
                c.achieved_se, c.graphs, c.sources, target > 0 && seconds > target ? "  slower than the target" : "");
  }
}

struct TrainBenchArgs {
  int threads = 2, steps = 20, warmup = 3;
  bool peer = true;
  std::string device = "cpu", precision = "fp32";
};

void run_train_bench(const TrainBenchArgs& a) {
  omp_set_num_threads(a.threads);
  make_backend(a.device, a.precision);  // a precision the device lacks: one line, exit 2, before any measurement
  const bool gpu = a.device == "cuda";
  const double sgemm = gpu ? sgemm_gflops(8192, 10, a.device, a.precision) : sgemm_gflops(1024, 5, a.device);
  if (gpu) {
    std::printf("GPU %s; GEMM 8192^3 (cuBLAS, %s%s): %.1f GFLOP/s\n", models::cuda_devices().at(0).name.c_str(),
                a.precision.c_str(), a.precision == "bf16" ? " inputs, rounding included, fp32 accumulation" : "", sgemm);
  } else {
    std::printf("CPU, %d threads; SGEMM 1024^3 (Eigen): %.1f GFLOP/s\n", a.threads, sgemm);
  }
  std::printf("%-34s %12s %12s %7s %12s %7s %9s %8s %13s\n", "configuration", "moesim tok/s", "eager tok/s",
              "ratio", "strong tok/s", "ratio", "GFLOP/s", "%GEMM", "RSS MiB 1st/2nd");
  std::string missing;                // why the peer gave no number, said once under the table
  std::vector<std::string> settings;  // what each peer mode ran with (its "peer:" line), each said once
  for (const auto& c : train_bench_cases(gpu)) {
    const auto first = bench_train(c, a.steps, a.warmup, a.device, true, a.precision);
    // a second run in the same process: memory must not grow
    const auto second = bench_train(c, a.steps, a.warmup, a.device, true, a.precision);
    const auto& ours = second;
    std::string torch[2] = {"n/a", "n/a"}, ratio[2] = {"", ""};
    for (int mode = 0; mode < 2 && a.peer; ++mode) {
      std::ostringstream args;
      args << "--vocab " << c.config.vocab << " --d " << c.config.d << " --layers " << c.config.layers << " --heads "
           << c.config.heads << " --experts " << c.config.experts << " --top-k " << c.config.top_k << " --batch " << c.B
           << " --seq " << c.T << " --steps " << a.steps << " --warmup " << a.warmup << " --threads " << a.threads
           << " --device " << a.device << " --mode " << (mode ? "strong" : "eager");
      const auto peer = run_python_peer("torch_train.py", args.str(), "tokens_per_second");
      if (peer.value) {
        torch[mode] = std::to_string(long(*peer.value));
        ratio[mode] = std::to_string(ours.tokens_per_second / *peer.value).substr(0, 4) + "x";
        const std::string set = peer.line("peer");
        if (!set.empty() && std::find(settings.begin(), settings.end(), set) == settings.end()) settings.push_back(set);
      } else if (missing.empty()) {
        missing = peer.output.substr(0, peer.output.find('\n'));
      }
    }
    std::printf("%-34s %12.0f %12s %7s %12s %7s %9.1f %7.0f%% %6.0f/%-6.0f\n", c.name.c_str(), ours.tokens_per_second,
                torch[0].c_str(), ratio[0].c_str(), torch[1].c_str(), ratio[1].c_str(), ours.gflops,
                100 * ours.gflops / sgemm, first.rss_mib_after, second.rss_mib_after);
    // What recording each step as one CUDA graph gains (models/train_step.hpp), same run. A direct step waits
    // three times (the batch's and the optimizer scalars' uploads, the loss's download), a recorded one once.
    if (gpu) {
      const auto direct = bench_train(c, a.steps, a.warmup, a.device, false, a.precision);
      std::printf("  %-32s %12.0f tok/s; recorded/direct %.2fx\n", "every step launched directly",
                  direct.tokens_per_second, ours.tokens_per_second / direct.tokens_per_second);
    }
  }
  std::printf("moesim: %s; ratio = moesim / peer, same shapes, same process tree\n",
              a.precision == "bf16" ? "bf16 matrix-product inputs, fp32 accumulation, weights and reductions (--precision bf16)"
                                    : "fp32 throughout (--precision bf16 for tensor cores)");
  for (const auto& s : settings) std::printf("peer: %s\n", s.c_str());
  if (!missing.empty())
    std::printf("torch n/a: the PyTorch peer (%s %s/torch_train.py) did not run: %s\n"
                "  (Debian: apt-get install python3-torch; another Python with torch: MOESIM_PYTHON=/path/to/python3)\n",
                python_interpreter().c_str(), data_paths().peers.c_str(), missing.c_str());
}

struct OneLayerBenchArgs {
  int vertices = 128, m = 64, batch = 64, steps = 20, warmup = 3, threads = 1;
  std::string device = "cpu";
};

void run_onelayer_bench(const OneLayerBenchArgs& a) {
  omp_set_num_threads(a.threads);
  make_backend(a.device, "fp32");  // no GPU for --device cuda: one line, exit 2, before the header
  const graphs::Length2Vocab voc{a.vertices};
  std::printf("one-layer model, length-2 format |V| = %d (N = %d), m = %d, H = 1, dense psi of %d, batch %d, %d "
              "threads, %s; %d timed steps\n",
              a.vertices, voc.length(), a.m, a.m, a.batch, a.threads, a.device.c_str(), a.steps);
  double rate[2];
  for (int keyed : {1, 0}) {
    const models::OneLayerConfig c{.vocab = voc.size(), .m = a.m, .heads = 1, .hidden = a.m, .per_token_keys = keyed == 1};
    rate[keyed] = onelayer_steps_per_second(c, a.vertices, a.batch, a.steps, a.warmup, a.device);
    std::printf("%-42s %10.1f steps/s\n", keyed ? "keys and values of every token (before)" : "keys folded into the query (after)",
                rate[keyed]);
  }
  std::printf("ratio after/before: %.1fx\n", rate[0] / rate[1]);
  if (a.device == "cuda") {  // the CPU backend records no graphs: every step above ran directly there
    const models::OneLayerConfig c{.vocab = voc.size(), .m = a.m, .heads = 1, .hidden = a.m};
    const double direct = onelayer_steps_per_second(c, a.vertices, a.batch, a.steps, a.warmup, a.device, false);
    std::printf("%-42s %10.1f steps/s\n", "after, every step launched directly", direct);
    std::printf("ratio recorded step graph/direct: %.2fx\n", rate[0] / direct);
  }
}

struct AttentionBenchArgs {
  int batch = 32, tokens = 256, d = 256, heads = 4, repeats = 5, threads = 1;
  bool causal = true;
  std::string device = "cpu";
};

void run_attention_bench(const AttentionBenchArgs& a) {
  if (a.d % a.heads != 0)
    throw UsageError("--heads: " + std::to_string(a.heads) + " does not divide --d " + std::to_string(a.d) +
                     " (accepted: a divisor of d)");
  const int hd = a.d / a.heads;
  omp_set_num_threads(a.threads);
  const auto r = bench_attention(a.batch, a.tokens, a.d, a.heads, a.causal, a.repeats, a.device);  // may refuse: print after
  std::printf("attention layer forward + backward, B = %d, T = %d, d = %d, H = %d (heads of %d), %s, %s fp32, "
              "%d threads; median of %d\n", a.batch, a.tokens, a.d, a.heads, hd, a.causal ? "causal" : "bidirectional",
              a.device.c_str(), a.threads, a.repeats);
  std::printf("%-44s %10.3f ms\n", "(T,T) scores materialised", r.materialised_ms);
  std::printf("%-44s %10.3f ms\n", "fused (Backend::attention_forward/backward)", r.fused_ms);
  std::printf("ratio fused/materialised speed: %.2fx; largest difference %.1e of the outputs' scale\n",
              r.materialised_ms / r.fused_ms, r.max_difference);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* bench = app.add_subcommand("bench", "Benchmarks against peer implementations");
  bench->require_subcommand(1);
  bench->footer("Examples:\n  moesim bench graphs --nodes 50 --seconds 2\n  moesim bench train --threads 2 --steps 20\n"
                "  moesim bench onelayer --vertices 128 --m 64\n  moesim bench attention --tokens 128");

  auto g = std::make_shared<GraphsBenchArgs>();
  auto* graphs_cmd = bench->add_subcommand("graphs", "Instances/s of G(n,p) + shortest path vs NetworkX");
  graphs_cmd->footer("Example:\n  moesim bench graphs --nodes 50 --seconds 2");
  graphs_cmd->add_option("--nodes", g->nodes, "vertices (3..5000)")->check(CLI::Range(3, 5000));
  graphs_cmd->add_option("--mean-path", g->mean_path, "calibrate p to this mean path length")
      ->check(finite_range(1.0, 1e6));
  graphs_cmd->add_option("--seconds", g->seconds, "time per side (0.1..600)")->check(finite_range(0.1, 600.0));
  graphs_cmd->add_option("--repeats", g->repeats, "rounds, each side once per round (1..100)")->check(CLI::Range(1, 100));
  graphs_cmd->add_flag("!--no-peer", g->peer, "skip the NetworkX peer");
  graphs_cmd->callback([g] { run_graphs_bench(*g); });

  auto k = std::make_shared<CalibrateBenchArgs>();
  auto* calibrate = bench->add_subcommand("calibrate", "Time calibrating p to a mean path length, one core");
  calibrate->footer("Example:\n  moesim bench calibrate --nodes 200,5000");
  calibrate->add_option("--nodes", k->nodes, "vertices, comma-separated (each 3..5000)")
      ->delimiter(',')
      ->check(CLI::Range(3, 5000));
  calibrate->add_option("--mean-path", k->mean_path, "target mean shortest-path length")
      ->check(finite_range(1.0, 1e6));
  calibrate->callback([k] { run_calibrate_bench(*k); });

  auto t = std::make_shared<TrainBenchArgs>();
  auto* train = bench->add_subcommand("train", "Training tokens/s of the Transformer vs PyTorch, same shapes and threads");
  train->footer("Example:\n  moesim bench train --threads 2 --steps 20");
  train->add_option("--threads", t->threads, "threads for both sides (1..256)")->check(CLI::Range(1, 256));
  train->add_option("--steps", t->steps, "timed steps per configuration (1..100000)")->check(CLI::Range(1, 100000));
  train->add_option("--warmup", t->warmup, "untimed steps first (0..1000)")->check(CLI::Range(0, 1000));
  train->add_flag("!--no-peer", t->peer, "skip the PyTorch peer");
  train->add_option("--device", t->device, "cpu | cuda (cuda adds the paper-scale configurations)")
      ->check(CLI::IsMember({"cpu", "cuda"}));
  train->add_option("--precision", t->precision, "fp32 | bf16 (the GPU's matrix products; the CPU: fp32)")
      ->check(CLI::IsMember({"fp32", "bf16"}));
  train->callback([t] { run_train_bench(*t); });

  auto o = std::make_shared<OneLayerBenchArgs>();
  auto* onelayer = bench->add_subcommand("onelayer", "Training steps/s of the one-layer model, attention before and after folding the keys");
  onelayer->footer("Example:\n  moesim bench onelayer --vertices 128 --m 64");
  onelayer->add_option("--vertices", o->vertices, "|V| of the length-2 format (3..1000)")->check(CLI::Range(3, 1000));
  onelayer->add_option("--m", o->m, "embedding width (1..1024)")->check(CLI::Range(1, 1024));
  onelayer->add_option("--batch", o->batch, "batch size (1..4096)")->check(CLI::Range(1, 4096));
  onelayer->add_option("--steps", o->steps, "timed steps (1..100000)")->check(CLI::Range(1, 100000));
  onelayer->add_option("--warmup", o->warmup, "untimed steps first (0..1000)")->check(CLI::Range(0, 1000));
  onelayer->add_option("--threads", o->threads, "OpenMP threads (1..256)")->check(CLI::Range(1, 256));
  onelayer->add_option("--device", o->device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  onelayer->callback([o] { run_onelayer_bench(*o); });

  auto at = std::make_shared<AttentionBenchArgs>();
  auto* attention = bench->add_subcommand("attention", "Attention layer time, (T,T) scores materialised vs the fused op");
  attention->footer("Example:\n  moesim bench attention --device cuda --tokens 256 --d 256 --heads 4");
  attention->add_option("--batch", at->batch, "sequences (1..4096)")->check(CLI::Range(1, 4096));
  attention->add_option("--tokens", at->tokens, "sequence length T (1..8192)")->check(CLI::Range(1, 8192));
  attention->add_option("--d", at->d, "model width (1..4096)")->check(CLI::Range(1, 4096));
  attention->add_option("--heads", at->heads, "heads, a divisor of d (1..256)")->check(CLI::Range(1, 256));
  attention->add_option("--repeats", at->repeats, "timed passes per path (1..1000)")->check(CLI::Range(1, 1000));
  attention->add_option("--threads", at->threads, "OpenMP threads (1..256)")->check(CLI::Range(1, 256));
  attention->add_flag("!--bidirectional", at->causal, "no causal mask");
  attention->add_option("--device", at->device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  attention->callback([at] { run_attention_bench(*at); });
}

}  // namespace moesim::sims
