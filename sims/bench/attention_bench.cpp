#include "bench/attention_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "device.hpp"
#include "graphs/rng.hpp"
#include "models/arena.hpp"
#include "models/layers/attention.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

std::vector<float> uniform(size_t n, double bound, uint64_t seed) {
  graphs::Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = float((2 * rng.uniform() - 1) * bound);
  return v;
}

double largest(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, double(std::abs(x)));
  return m;
}

}  // namespace

AttentionBenchResult bench_attention(int B, int T, int d, int H, bool causal, int repeats, const std::string& device) {
  auto be = make_backend(device);
  if (device == "cuda" && !be->fused_attention(d / H))
    throw UsageError("--heads: heads of width " + std::to_string(d / H) + " have no fused GPU attention (accepted: "
                     "d / heads <= 128)");
  const size_t n = size_t(B) * T * d;
  std::vector<void*> owned;
  auto put = [&](const std::vector<float>& host) {
    auto* p = static_cast<float*>(be->alloc(host.size() * sizeof(float)));
    be->upload(p, host.data(), host.size() * sizeof(float));
    owned.push_back(p);
    return p;
  };
  const double w = 1 / std::sqrt(double(d));  // unit-variance activations through the projections
  float* xn = put(uniform(n, 1, 1));                     // (B,T,d)
  float* w_qkv = put(uniform(size_t(3) * d * d, w, 2));  // (3d,d)
  float* w_proj = put(uniform(size_t(d) * d, w, 3));     // (d,d)
  float* dout = put(uniform(n, 1, 4));                   // (B,T,d)
  float* out = put(std::vector<float>(n));
  float* dxn = put(std::vector<float>(n));
  float* dw_qkv = put(std::vector<float>(size_t(3) * d * d));
  float* dw_proj = put(std::vector<float>(size_t(d) * d));

  AttentionBenchResult r;
  std::vector<float> first_out, first_dxn;
  for (bool fused : {false, true}) {
    const models::AttentionShape s{B, T, d, H, causal, 10000.0, fused};
    models::AttentionActs<float> acts;
    models::AttentionScratch<float> scratch;
    models::Arena<float> arena(*be);
    arena.build([&](models::Arena<float>& a) { acts.layout(a, s); scratch.layout(a, s); });
    auto pass = [&] {
      be->zero(out, n * sizeof(float));
      models::attention_forward(*be, s, xn, w_qkv, w_proj, acts, out);
      models::attention_backward(*be, s, dout, xn, w_qkv, w_proj, acts, scratch, dxn, dw_qkv, dw_proj);
      be->synchronize();
    };
    pass();
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      pass();
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    (fused ? r.fused_ms : r.materialised_ms) = ms[ms.size() / 2];

    std::vector<float> o(n), g(n);
    be->download(o.data(), out, n * sizeof(float));
    be->download(g.data(), dxn, n * sizeof(float));
    if (!fused) {
      first_out = std::move(o), first_dxn = std::move(g);
      continue;
    }
    for (const auto& [a, b] : {std::pair{&first_out, &o}, std::pair{&first_dxn, &g}}) {
      double diff = 0;
      for (size_t i = 0; i < n; ++i) diff = std::max(diff, double(std::abs((*a)[i] - (*b)[i])));
      r.max_difference = std::max(r.max_difference, diff / std::max(largest(*a), 1e-30));
    }
  }
  for (void* p : owned) be->release(p);
  return r;
}

}  // namespace moesim::sims
