#include "instances.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "shortest_path.hpp"

namespace moesim::graphs {
namespace {

// A p that cannot produce the wanted instance would loop forever; give up after this many graphs.
constexpr int kMaxGraphs = 100000;

[[noreturn]] void give_up(std::string_view what, int n, double p) {
  throw SamplingError("no " + std::string(what) + " found in " + std::to_string(kMaxGraphs) +
                      " graphs G(" + std::to_string(n) + ", " + std::to_string(p) +
                      "); choose a p where both answers occur");
}

}  // namespace

Task parse_task(std::string_view name) {
  if (name == "shortest-path") return Task::ShortestPath;
  if (name == "connectivity") return Task::Connectivity;
  if (name == "length2") return Task::Length2;
  if (name == "disjointness") return Task::Disjointness;
  throw std::invalid_argument("unknown task '" + std::string(name) +
                              "' (accepted: shortest-path, connectivity, length2, disjointness)");
}

std::string_view task_name(Task task) {
  switch (task) {
    case Task::ShortestPath: return "shortest-path";
    case Task::Connectivity: return "connectivity";
    case Task::Length2: return "length2";
    case Task::Disjointness: return "disjointness";
  }
  return "?";
}

bool is_classification(Task task) { return task != Task::ShortestPath; }

Instance shortest_path_instance(int n, double p, Rng& rng, int min_hops) {
  thread_local Bfs bfs;  // reused across calls: this is the inner loop of dataset generation
  thread_local std::vector<int> far;
  bfs.resize(n);
  for (int attempt = 0; attempt < kMaxGraphs; ++attempt) {
    Instance inst{.nodes = n, .edges = erdos_renyi_edges(n, p, rng)};
    const Graph g = make_graph(n, inst.edges);
    for (int tries = 0; tries < 4 * n; ++tries) {
      const int s = static_cast<int>(rng.below(n));
      const std::vector<int>& dist = bfs.from(g, s);
      far.clear();  // the targets s may be asked about: reachable, at least min_hops away
      for (int v = 0; v < n; ++v)
        if (v != s && dist[v] != kUnreachable && dist[v] >= min_hops) far.push_back(v);
      // Rejection makes (s, t) uniform over the admissible ordered pairs, not over sources.
      if (rng.below(n - 1) >= far.size()) continue;
      inst.source = s;
      inst.target = far[rng.below(far.size())];
      inst.path = shortest_path_after(g, bfs, inst.target);  // the search from s above
      return inst;
    }
  }
  give_up(min_hops > 1 ? "pair " + std::to_string(min_hops) + " or more hops apart" : std::string("reachable pair"), n, p);
}

Instance connectivity_instance(int n, double p, bool label, Rng& rng) {
  Bfs bfs(n);
  for (int attempt = 0; attempt < kMaxGraphs; ++attempt) {
    Instance inst{.nodes = n, .edges = erdos_renyi_edges(n, p, rng)};
    inst.source = static_cast<int>(rng.below(n));
    inst.target = static_cast<int>(rng.below(n - 1));
    if (inst.target >= inst.source) ++inst.target;  // t != s
    inst.label = reachable(make_graph(n, inst.edges), inst.source, inst.target, bfs);
    if (inst.label == label) return inst;
  }
  give_up(label ? "connected pair" : "disconnected pair", n, p);
}

bool has_length2_path(int n, const std::vector<Edge>& edges) {
  std::vector<char> from_s(n, 0), to_d(n, 0);
  for (auto [u, v] : edges) {
    if (u == 0) from_s[v] = 1;
    if (v == n - 1) to_d[u] = 1;
  }
  for (int v = 0; v < n; ++v)
    if (from_s[v] && to_d[v]) return true;
  return false;
}

Instance length2_instance(int n, double p, bool label, Rng& rng) {
  for (int attempt = 0; attempt < kMaxGraphs; ++attempt) {
    Instance inst{.nodes = n, .edges = erdos_renyi_edges(n, p, rng), .source = 0, .target = n - 1};
    inst.label = has_length2_path(n, inst.edges);
    if (inst.label == label) return inst;
  }
  give_up(label ? "graph with a length-2 path" : "graph without a length-2 path", n, p);
}

Instance disjointness_instance(int n, std::vector<int> a, std::vector<int> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  Instance inst{.nodes = n, .source = 0, .target = n - 1, .a = std::move(a), .b = std::move(b)};
  for (int i : inst.a) inst.edges.emplace_back(0, i);
  for (int i : inst.b) inst.edges.emplace_back(i, n - 1);
  std::sort(inst.edges.begin(), inst.edges.end());
  std::vector<int> common;
  std::set_intersection(inst.a.begin(), inst.a.end(), inst.b.begin(), inst.b.end(),
                        std::back_inserter(common));
  inst.label = !common.empty();
  return inst;
}

Instance disjointness_from_masks(int n, uint64_t a_mask, uint64_t b_mask) {
  std::vector<int> a, b;
  for (int i = 0; i < n - 2 && i < 64; ++i) {
    if (a_mask >> i & 1) a.push_back(i + 1);
    if (b_mask >> i & 1) b.push_back(i + 1);
  }
  return disjointness_instance(n, std::move(a), std::move(b));
}

Instance random_disjointness_instance(int n, bool label, Rng& rng) {
  for (;;) {
    std::vector<int> a, b;
    bool both = false;
    for (int i = 1; i <= n - 2; ++i) {
      const uint64_t state = rng.below(label ? 4 : 3);  // 0 neither, 1 a, 2 b, 3 both
      if (state == 1 || state == 3) a.push_back(i);
      if (state == 2 || state == 3) b.push_back(i);
      both |= state == 3;
    }
    if (both == label) return disjointness_instance(n, std::move(a), std::move(b));
  }
}

Instance balanced_disjointness_instance(int n, bool label, Rng& rng) {
  const int inner = n - 2;
  if (inner < 2) throw std::invalid_argument("balanced disjointness needs at least 4 vertices");
  auto binomial = [&] {
    int k = 0;
    for (int i = 0; i < inner; ++i) k += rng.below(4) == 0;
    return k;
  };
  int ka = 0, kb = 0;
  do {
    ka = binomial(), kb = binomial();
  } while (ka < 1 || kb < 1 || ka + kb > inner);
  std::vector<int> all(inner);
  for (int i = 0; i < inner; ++i) all[i] = i + 1;
  for (int i = 0; i < inner - 1; ++i) std::swap(all[i], all[i + rng.below(uint64_t(inner - i))]);  // a shuffle
  std::vector<int> a(all.begin(), all.begin() + ka);               // a: the first |a| of the shuffle
  std::vector<int> b(all.begin() + ka, all.begin() + ka + kb);     // b: the next |b|, disjoint from a
  if (label) b.back() = a[rng.below(uint64_t(ka))];                // one element of a replaces one of b
  return disjointness_instance(n, std::move(a), std::move(b));
}

std::vector<Instance> sample(const SampleSpec& spec) {
  std::vector<Instance> out(spec.count);
  // Exceptions must not escape an OpenMP region: keep the first and rethrow after.
  std::string error;
  std::exception_ptr other;
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < spec.count; ++i) {
    try {
      const uint64_t index = spec.first + static_cast<uint64_t>(i);
      Rng rng(spec.seed, index);
      const bool label = index % 2 == 0;
      switch (spec.task) {
        case Task::ShortestPath: out[i] = shortest_path_instance(spec.nodes, spec.p, rng, spec.min_hops); break;
        case Task::Connectivity: out[i] = connectivity_instance(spec.nodes, spec.p, label, rng); break;
        case Task::Length2: out[i] = length2_instance(spec.nodes, spec.p, label, rng); break;
        case Task::Disjointness: out[i] = random_disjointness_instance(spec.nodes, label, rng); break;
      }
    } catch (const SamplingError& e) {
#pragma omp critical
      if (error.empty()) error = e.what();
    } catch (...) {  // out of memory: carried out of the region, rethrown as it is
#pragma omp critical
      if (!other) other = std::current_exception();
    }
  }
  if (other) std::rethrow_exception(other);
  if (!error.empty()) throw SamplingError(error);
  return out;
}

}  // namespace moesim::graphs
