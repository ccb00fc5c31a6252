// Every CUDA op against the CPU op on random inputs, and whole models trained on both. Needs a GPU: on
// a machine without one each test prints the skip marker, which ctest reports as skipped (not passed).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include "graphs/rng.hpp"
#include "models/adamw.hpp"
#include "models/backend.hpp"
#include "models/device_info.hpp"
#include "models/one_layer.hpp"
#include "models/train_step.hpp"
#include "models/transformer.hpp"

using namespace moesim::models;

namespace {

bool have_gpu() {
  if (!cuda_compiled() || cuda_devices().empty()) {
    // tests/CMakeLists.txt gives ctest this marker as SKIP_REGULAR_EXPRESSION.
    std::printf("MOESIM_TEST_SKIPPED: no CUDA GPU here (built with CUDA: %s)\n", cuda_compiled() ? "yes" : "no");
    return false;
  }
  return true;
}

// Buffers on one backend, freed at the end.
struct Mem {
  Backend<float>& be;
  std::vector<void*> owned;
  ~Mem() {
    for (void* p : owned) be.release(p);
  }
  template <class U>
  U* put(const std::vector<U>& host) {
    auto* p = static_cast<U*>(be.alloc(host.size() * sizeof(U)));
    be.upload(p, host.data(), host.size() * sizeof(U));
    owned.push_back(p);
    return p;
  }
  template <class U>
  std::vector<U> get(const U* p, size_t n) {
    std::vector<U> host(n);
    be.download(host.data(), p, n * sizeof(U));
    return host;
  }
};

std::vector<float> random(size_t n, uint64_t seed, float lo = -1, float hi = 1) {
  moesim::graphs::Rng rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = lo + float(rng.uniform()) * (hi - lo);
  return v;
}
std::vector<int> random_ints(size_t n, int bound, uint64_t seed) {
  moesim::graphs::Rng rng(seed);
  std::vector<int> v(n);
  for (auto& x : v) x = int(rng.below(bound));
  return v;
}

float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::abs(x));
  return m;
}

// fp32 agreement: max |cpu - gpu| <= 1e-5 * scale, where the scale is the tensor's largest magnitude
// (summation orders differ between the backends), or, for an output formed by cancellation, the
// magnitude of the inputs it was computed from (passed explicitly).
void require_close(const std::vector<float>& cpu, const std::vector<float>& gpu, const char* what,
                   float input_scale = 0) {
  REQUIRE(cpu.size() == gpu.size());
  float err = 0;
  for (size_t i = 0; i < cpu.size(); ++i) err = std::max(err, std::abs(cpu[i] - gpu[i]));
  const float scale = std::max({max_abs(cpu), input_scale, 1e-30f});
  std::printf("cuda op %-48s max error %.2e relative to %.2e\n", what, double(err), double(scale));
  REQUIRE(err <= 1e-5f * scale);
}

// Runs `op` on both backends: it gets the backend's Mem and returns the outputs to compare. Output i is
// compared at the scale of output scale_from[i] when given (cancellation: see require_close).
using Outs = std::vector<std::vector<float>>;
using Op = std::function<std::vector<std::vector<float>>(Mem&)>;
void compare(Backend<float>& cpu, Backend<float>& gpu, const char* what, const Op& op,
             std::map<size_t, size_t> scale_from = {}) {
  Mem a{cpu, {}}, b{gpu, {}};
  const auto x = op(a), y = op(b);
  for (size_t i = 0; i < x.size(); ++i)
    require_close(x[i], y[i], what, scale_from.count(i) ? max_abs(x[scale_from[i]]) : 0.0f);
}

}  // namespace

TEST_CASE("cuda: every op matches the CPU op", "[models][cuda]") {
  if (!have_gpu()) return;
  auto cpu = make_cpu_backend<float>();
  auto gpu = make_cuda_backend<float>();
  const int M = 37, N = 29, K = 45, B = 3, H = 2, T = 11, hd = 8, C = 24, E = 6, k = 2, n = 40, V = 17;

  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb)
      compare(*cpu, *gpu, "gemm", [&](Mem& m) {
        auto A = m.put(random(M * K, 1)), Bm = m.put(random(K * N, 2));
        auto Cm = m.put(random(M * N, 3));
        m.be.gemm(ta, tb, M, N, K, 0.7f, A, ta ? M : K, Bm, tb ? K : N, 0.5f, Cm, N);
        return Outs{m.get(Cm, M * N)};
      });
  compare(*cpu, *gpu, "gemm_batched", [&](Mem& m) {
    auto A = m.put(random(4 * M * K, 4)), Bm = m.put(random(4 * K * N, 5)), Cm = m.put(std::vector<float>(4 * M * N));
    m.be.gemm_batched(false, true, M, N, K, 1.f, A, K, long(M) * K, Bm, K, long(K) * N, 0.f, Cm, N, long(M) * N, 4);
    return Outs{m.get(Cm, 4 * M * N)};
  });
  // Groups of 0, 1, 64, 65, 150 and 37 rows (an empty one, tile edges, several tiles); K and N not multiples
  // of the kernels' tiles. C starts random, so beta and the untouched empty group are checked too.
  {
    const std::vector<int> offsets{0, 0, 1, 65, 130, 280, 317};
    const int G = int(offsets.size()) - 1, R = offsets.back(), Kg = 45, Ng = 70;
    for (int tb = 0; tb < 2; ++tb)
      compare(*cpu, *gpu, tb ? "gemm_grouped (B transposed)" : "gemm_grouped", [&](Mem& m) {
        auto off = m.put(offsets);
        auto A = m.put(random(size_t(R) * Kg, 40)), Bm = m.put(random(size_t(G) * Kg * Ng, 41));
        auto Cm = m.put(random(size_t(R) * Ng, 42)), C0 = m.put(random(size_t(R) * Ng, 43));
        m.be.gemm_grouped(tb, Ng, Kg, 0.7f, A, Kg, Bm, tb ? Kg : Ng, long(Kg) * Ng, 0.5f, Cm, Ng, off, G, R);
        m.be.gemm_grouped(tb, Ng, Kg, 1.f, A, Kg, Bm, tb ? Kg : Ng, long(Kg) * Ng, 0.f, C0, Ng, off, G, R);
        return Outs{m.get(Cm, size_t(R) * Ng), m.get(C0, size_t(R) * Ng)};
      });
    compare(*cpu, *gpu, "gemm_grouped_weights", [&](Mem& m) {
      auto off = m.put(offsets);
      auto A = m.put(random(size_t(R) * Kg, 44)), Bm = m.put(random(size_t(R) * Ng, 45));
      auto Cm = m.put(random(size_t(G) * Kg * Ng, 46));
      m.be.gemm_grouped_weights(Kg, Ng, 0.7f, A, Kg, Bm, Ng, 1.f, Cm, Ng, long(Kg) * Ng, off, G, R);
      return Outs{m.get(Cm, size_t(G) * Kg * Ng)};
    });
  }
  compare(*cpu, *gpu, "add, scale, sum_squares, weighted_sum, bias", [&](Mem& m) {
    auto y = m.put(random(M * N, 6)), x = m.put(random(M * N, 7)), b = m.put(random(N, 8)), db = m.put(random(N, 9));
    m.be.add(y, x, M * N);
    m.be.scale(y, M * N, 0.3f);
    m.be.add_bias(y, b, M, N);
    m.be.bias_backward(db, y, M, N);
    auto sum = m.put(std::vector<double>{-1.0}), plain = m.put(std::vector<double>{-1.0});
    m.be.weighted_sum(sum, x, y, M * N);
    m.be.weighted_sum(plain, nullptr, y, M * N);  // weights 1
    return Outs{m.get(y, M * N), m.get(db, N), std::vector<float>{float(m.be.sum_squares(y, M * N))},
                std::vector<float>{float(m.get(sum, 1)[0])}, std::vector<float>{float(m.get(plain, 1)[0])}};
  });
  {
    const std::vector<int> offsets{0, 0, 1, 65, 130, 280, 317};  // an empty group first, uneven sizes
    const int G = int(offsets.size()) - 1, R = offsets.back(), Cg = 37;
    compare(*cpu, *gpu, "add_bias_grouped, bias_backward_grouped", [&](Mem& m) {
      auto off = m.put(offsets);
      auto y = m.put(random(size_t(R) * Cg, 48)), b = m.put(random(size_t(G) * Cg, 49));
      auto db = m.put(random(size_t(G) * Cg, 50));
      m.be.add_bias_grouped(y, b, off, G, R, Cg);
      m.be.bias_backward_grouped(db, y, off, G, R, Cg);
      return Outs{m.get(y, size_t(R) * Cg), m.get(db, size_t(G) * Cg)};
    });
  }
  // Clipping on the device: the norm is sum_squares' (in block order), the gradient rescaled above the clip
  // and untouched below it.
  for (double clip : {0.0, 1.0, 1e6})
    compare(*cpu, *gpu, "clip_norm", [&](Mem& m) {
      const size_t count = 300000;  // several blocks of partial sums
      auto g = m.put(random(count, 47));
      auto norm = m.put(std::vector<double>{-1.0});
      m.be.clip_norm(g, count, clip, norm);
      return Outs{m.get(g, count), std::vector<float>{float(m.get(norm, 1)[0])},
                  std::vector<float>{float(std::sqrt(m.be.sum_squares(g, count)))}};
    });
  compare(*cpu, *gpu, "embedding", [&](Mem& m) {
    auto tok = m.put(random_ints(n, V, 10));
    auto table = m.put(random(V * C, 11)), out = m.put(std::vector<float>(n * C)), dtable = m.put(random(V * C, 12));
    m.be.embedding_forward(out, tok, table, n, C);
    m.be.embedding_backward(dtable, out, tok, n, C, V);
    return Outs{m.get(out, n * C), m.get(dtable, V * C)};
  });
  compare(*cpu, *gpu, "rmsnorm", [&](Mem& m) {
    auto x = m.put(random(n * C, 13)), w = m.put(random(C, 14)), g = m.put(random(n * C, 15));
    auto out = m.put(std::vector<float>(n * C)), rstd = m.put(std::vector<float>(n));
    auto dx = m.put(random(n * C, 16)), dw = m.put(random(C, 17));
    m.be.rmsnorm_forward(out, rstd, x, w, n, C, 1e-5f);
    m.be.rmsnorm_backward(dx, dw, g, x, w, rstd, n, C);
    return Outs{m.get(out, n * C), m.get(rstd, n), m.get(dx, n * C), m.get(dw, C)};
  });
  compare(*cpu, *gpu, "rope, heads", [&](Mem& m) {
    auto seq = m.put(random(B * T * 3 * H * hd, 18)), heads = m.put(std::vector<float>(B * H * T * hd));
    auto back = m.put(std::vector<float>(B * T * 3 * H * hd));
    m.be.to_heads(heads, seq + H * hd, 3 * H * hd, B, T, H, hd);
    m.be.rope(heads, B * H, T, hd, 10000.f, +1);
    auto rotated = m.get(heads, B * H * T * hd);
    m.be.rope(heads, B * H, T, hd, 10000.f, -1);
    m.be.from_heads(back, 3 * H * hd, heads, B, T, H, hd);
    return Outs{rotated, m.get(back, B * T * 3 * H * hd)};
  });
  compare(*cpu, *gpu, "mask_tokens, then softmax", [&](Mem& m) {  // every input keeps its last token
    std::vector<int> tokens = random_ints(size_t(B) * T, 4, 23);
    for (int b = 0; b < B; ++b) tokens[size_t(b) * T + T - 1] = 1;
    const int* t = m.put(tokens);
    float* x = m.put(random(B * H * T, 24, -3, 3));
    m.be.mask_tokens(x, t, 0, B, H, T);
    m.be.softmax_forward(x, B * H, T, 1.0f, false);
    return Outs{m.get(x, B * H * T)};
  });
  for (int causal = 0; causal < 2; ++causal)
    compare(*cpu, *gpu, "softmax", [&](Mem& m) {
      auto x = m.put(random(B * T * T, 19, -3, 3)), dy = m.put(random(B * T * T, 20)), dx = m.put(std::vector<float>(B * T * T));
      m.be.softmax_forward(x, B * T, T, 0.5f, causal);
      m.be.softmax_backward(dx, dy, x, B * T, T, 0.5f, causal);
      return Outs{m.get(x, B * T * T), m.get(dx, B * T * T)};
    });
  // Fused attention: T across the kernels' edges (one partial block of 8 rows, several key tiles of 32, a
  // partial tile), hd from one to four columns per lane (R = 1, 2, 3, 4 instantiations), odd, with idle lanes.
  // The double kernels are not compared here (compare() is fp32). dq and dk come from differences
  // (dout . v - D), so they are compared at the scale of dv, the softmax average of dout.
  for (auto [T_, hd_] : {std::pair{11, 8}, std::pair{70, 64}, std::pair{19, 71}, std::pair{33, 100}, std::pair{40, 128}})
    for (int causal = 0; causal < 2; ++causal) {
      REQUIRE(gpu->fused_attention(hd_));
      compare(*cpu, *gpu, "attention (fused)", [&](Mem& m) {
        const size_t size = size_t(B) * H * T_ * hd_;
        auto q = m.put(random(size, 60, -2, 2)), kk = m.put(random(size, 61, -2, 2)), v = m.put(random(size, 62));
        auto dout = m.put(random(size, 63)), o = m.put(std::vector<float>(size)), lse = m.put(std::vector<float>(B * H * T_));
        auto dq = m.put(std::vector<float>(size)), dk = m.put(std::vector<float>(size)), dv = m.put(std::vector<float>(size));
        const float scale = 1 / std::sqrt(float(hd_));
        m.be.attention_forward(o, lse, q, kk, v, B * H, T_, hd_, scale, causal);
        m.be.attention_backward(dq, dk, dv, dout, o, lse, q, kk, v, B * H, T_, hd_, scale, causal);
        return Outs{m.get(o, size), m.get(lse, B * H * T_), m.get(dq, size), m.get(dk, size), m.get(dv, size)};
      }, {{2, 4}, {3, 4}});
    }
  compare(*cpu, *gpu, "swiglu, relu", [&](Mem& m) {
    auto h = m.put(random(n * 2 * C, 21, -3, 3)), g = m.put(std::vector<float>(n * C)), dg = m.put(random(n * C, 22));
    auto dh = m.put(std::vector<float>(n * 2 * C)), r = m.put(std::vector<float>(n * C)), dr = m.put(std::vector<float>(n * C));
    m.be.swiglu_forward(g, h, n, C);
    m.be.swiglu_backward(dh, dg, h, n, C);
    m.be.relu_forward(r, dg, n * C);
    m.be.relu_backward(dr, g, dg, n * C);
    return Outs{m.get(g, n * C), m.get(dh, n * 2 * C), m.get(r, n * C), m.get(dr, n * C)};
  });
  compare(*cpu, *gpu, "cross_entropy, logistic", [&](Mem& m) {
    auto z = m.put(random(n * V, 23, -4, 4)), w = m.put(random(n, 25, 0, 1));
    auto t = m.put(random_ints(n, V, 24));
    auto d = m.put(std::vector<float>(n * V)), loss = m.put(std::vector<float>(n));
    m.be.cross_entropy(d, loss, z, t, w, n, V);
    auto y = random(n, 26);
    for (auto& v : y) v = v > 0 ? 1.f : -1.f;
    auto yl = m.put(y), dz = m.put(std::vector<float>(n)), l2 = m.put(std::vector<float>(n));
    m.be.logistic(dz, l2, z, yl, 0.25f, n);
    return Outs{m.get(d, n * V), m.get(loss, n), m.get(dz, n), m.get(l2, n)};
  });
  for (Gate gate : {Gate::Renormalized, Gate::Probability, Gate::Hard})
    compare(*cpu, *gpu, "router, sort, gather, combine, balance, z-loss", [&](Mem& m) {
      auto logits = m.put(random(n * E, 27, -2, 2)), probs = m.put(std::vector<float>(n * E));
      auto w = m.put(std::vector<float>(n * k));
      auto ex = m.put(std::vector<int>(n * k));
      m.be.router_forward(probs, ex, w, logits, n, E, k, gate);
      auto off = m.put(std::vector<int>(E + 1)), rows = m.put(std::vector<int>(n * k)), tok = m.put(std::vector<int>(n * k));
      std::vector<int> reversed(n);
      for (int i = 0; i < n; ++i) reversed[i] = n - 1 - i;
      auto distinct = m.put(reversed);
      m.be.moe_sort(off, rows, tok, ex, n, k, E);
      auto x = m.put(random(n * C, 28)), xs = m.put(std::vector<float>(n * k * C));
      m.be.gather_rows(xs, x, tok, n * k, C);
      auto out = m.put(random(n * C, 29));
      m.be.combine_forward(out, xs, w, rows, n, k, C);
      auto dys = m.put(std::vector<float>(n * k * C)), dw = m.put(std::vector<float>(n * k));
      m.be.combine_backward(dys, dw, out, xs, w, rows, n, k, C);
      auto dx = m.put(random(n * C, 30));
      m.be.gather_sum_rows(dx, dys, rows, n, k, C);
      m.be.scatter_add_rows(dx, x, distinct, n, C);
      auto extra = m.put(std::vector<float>(n * E));
      auto aux = m.put(std::vector<double>{-1.0, -1.0});  // both overwritten on the backend
      m.be.balance_loss(extra, aux, probs, off, n, E, k, 0.01f);
      auto dlogits = m.put(std::vector<float>(n * E));
      m.be.router_backward(dlogits, dw, extra, probs, ex, w, n, E, k, gate);
      m.be.z_loss(dlogits, aux + 1, logits, n, E, 0.001f);
      const auto losses = m.get(aux, 2);
      const float bal = float(losses[0]), z = float(losses[1]);
      std::vector<float> ints;
      for (int v : m.get(ex, n * k)) ints.push_back(float(v));
      for (int v : m.get(rows, n * k)) ints.push_back(float(v));
      for (int v : m.get(tok, n * k)) ints.push_back(float(v));
      for (int v : m.get(off, E + 1)) ints.push_back(float(v));
      return Outs{m.get(probs, n * E), ints, m.get(w, n * k), m.get(xs, n * k * C), m.get(out, n * C),
                  m.get(dys, n * k * C), m.get(dw, n * k), m.get(dx, n * C), m.get(extra, n * E),
                  m.get(dlogits, n * E), std::vector<float>{bal, z}};
    }, {{9, 6}});  // the router gradient subtracts gate gradients of similar size: measured at their scale
  compare(*cpu, *gpu, "adamw", [&](Mem& m) {
    auto p = m.put(random(n * C, 31)), g = m.put(random(n * C, 32)), mo = m.put(random(n * C, 33, 0, 0.1f));
    auto v = m.put(random(n * C, 34, 0, 0.1f));
    auto schedule = m.put(std::vector<float>{1e-3f, 1.f - std::pow(0.9f, 3.f), 1.f - std::pow(0.95f, 3.f)});
    m.be.adamw(p, g, mo, v, n * C, schedule, 0.9f, 0.95f, 1e-8f, 0.1f);
    return Outs{m.get(p, n * C), m.get(mo, n * C), m.get(v, n * C)};
  });
}

// The sort is integer bookkeeping: it must match the CPU's exactly. Sizes cover one slot, several chunks of
// a block (m > 256), keys that never occur, and a vocabulary-sized key range (the embedding's use).
TEST_CASE("cuda: moe_sort is the CPU's stable counting sort, bit for bit", "[models][cuda]") {
  if (!have_gpu()) return;
  auto cpu = make_cpu_backend<float>();
  auto gpu = make_cuda_backend<float>();
  struct Size { int n, k, E, used; };
  for (const Size z : {Size{1, 1, 1, 1}, Size{300, 2, 7, 7}, Size{5000, 2, 64, 40}, Size{4096, 1, 3000, 3000}}) {
    const auto keys = random_ints(size_t(z.n) * z.k, z.used, 40 + z.E);
    std::vector<int> result[2][3];
    int i = 0;
    for (Backend<float>* be : {cpu.get(), gpu.get()}) {
      Mem m{*be, {}};
      auto ex = m.put(keys), off = m.put(std::vector<int>(z.E + 1, -1));
      auto rows = m.put(std::vector<int>(z.n * z.k, -1)), tok = m.put(std::vector<int>(z.n * z.k, -1));
      m.be.moe_sort(off, rows, tok, ex, z.n, z.k, z.E);
      result[i][0] = m.get(off, z.E + 1), result[i][1] = m.get(rows, z.n * z.k), result[i][2] = m.get(tok, z.n * z.k);
      ++i;
    }
    INFO("n " << z.n << " k " << z.k << " E " << z.E);
    CHECK(result[0][0] == result[1][0]);  // offsets
    CHECK(result[0][1] == result[1][1]);  // rows
    CHECK(result[0][2] == result[1][2]);  // tokens
  }
}

TEST_CASE("cuda: the same seed trains 100 steps on CPU and GPU with losses within 1e-3", "[models][cuda]") {
  if (!have_gpu()) return;
  for (int experts : {0, 4}) {
    TransformerConfig c{.vocab = 13, .d = 32, .layers = 2, .heads = 4, .experts = experts, .top_k = 2, .max_len = 16};
    auto cpu = make_cpu_backend<float>();
    auto gpu = make_cuda_backend<float>();
    Transformer<float> a(c, *cpu, 3), b(c, *gpu, 3);
    AdamW<float> oa({}, a.store()), ob({}, b.store());
    double worst = 0;
    for (long s = 0; s < 100; ++s) {
      moesim::graphs::Rng rng(7, uint64_t(s));
      std::vector<int> tokens(4 * 16), targets(4 * 16);
      for (int i = 0; i < 64; ++i) tokens[i] = int(rng.below(13)), targets[i] = (tokens[i] * 3 + 1) % 13;
      std::vector<float> w(64, 1.f / 64);
      double losses[2];
      int i = 0;
      for (auto* pair : {&a, &b}) {
        pair->store().zero_grads();
        losses[i++] = pair->forward(tokens.data(), targets.data(), w.data(), 4, 16).total();
        pair->backward();
      }
      oa.step(s, 100), ob.step(s, 100);
      worst = std::max(worst, std::abs(losses[0] - losses[1]));
    }
    std::printf("cuda model experts=%d: largest loss difference over 100 steps %.2e\n", experts, worst);
    REQUIRE(worst <= 1e-3);
  }
}

TEST_CASE("cuda: the one-layer model trains 100 steps on CPU and GPU with losses within 1e-3", "[models][cuda]") {
  if (!have_gpu()) return;
  struct Case { int vocab, input_dim, experts; bool switch_gate; double balance; };  // balance: router-balance
  for (Case cs : {Case{12, 0, 0, false, 0}, Case{12, 0, 4, false, 0}, Case{0, 5, 4, true, 0},
                  Case{12, 0, 4, false, 0.01}}) {
    OneLayerConfig c{.vocab = cs.vocab, .input_dim = cs.input_dim, .m = 8, .heads = 2, .hidden = 16,
                     .experts = cs.experts, .switch_gate = cs.switch_gate, .balance_coef = cs.balance};
    auto cpu = make_cpu_backend<float>();
    auto gpu = make_cuda_backend<float>();
    OneLayer<float> a(c, *cpu, 3), b(c, *gpu, 3);
    AdamW<float> oa({}, a.store()), ob({}, b.store());
    double worst = 0;
    for (long s = 0; s < 100; ++s) {
      moesim::graphs::Rng rng(11, uint64_t(s));
      Batch batch{.B = 16, .T = 7};
      for (int i = 0; i < batch.B * batch.T; ++i) {
        if (cs.vocab) batch.tokens.push_back(int(rng.below(cs.vocab)));
        for (int j = 0; j < cs.input_dim; ++j) batch.x.push_back(float(rng.uniform() * 2 - 1));
      }
      for (int r = 0; r < batch.B; ++r) batch.labels.push_back(rng.below(2) ? 1.f : -1.f);
      double losses[2];
      int i = 0;
      for (Model<float>* model : {static_cast<Model<float>*>(&a), static_cast<Model<float>*>(&b)}) {
        model->store().zero_grads();
        losses[i++] = model->forward(batch);
        model->backward();
      }
      oa.step(s, 100), ob.step(s, 100);
      worst = std::max(worst, std::abs(losses[0] - losses[1]));
    }
    std::printf("cuda one-layer vocab=%d experts=%d%s balance=%g: largest loss difference over 100 steps %.2e\n",
                cs.vocab, cs.experts, cs.switch_gate ? " switch" : "", cs.balance, worst);
    REQUIRE(worst <= 1e-3);
  }
}

// A CUDA graph replays the recorded kernels on the same memory: a recorded training step must give the direct
// step's bits, step after step (the learning rate changes every step here: warmup then decay), also across a
// change of shape (an evaluation's batch between steps makes a second recording).
TEST_CASE("cuda: recorded training steps give the bits of direct ones", "[models][cuda]") {
  if (!have_gpu()) return;
  auto run = [](bool record, bool moe) {
    auto be = make_cuda_backend<float>();
    std::vector<double> losses;
    auto train = [&](Model<float>& model) {
      AdamW<float> opt({.lr = 1e-2, .warmup = 0.5}, model.store());
      TrainStep<float> step(model, opt, record);
      for (long s = 0; s < 12; ++s) {
        moesim::graphs::Rng rng(5, uint64_t(s));
        Batch b{.B = 8, .T = 6};
        for (int i = 0; i < b.B * b.T; ++i) b.tokens.push_back(int(rng.below(11)));
        b.targets = b.tokens, b.weights.assign(b.B * b.T, 1.f / float(b.B * b.T));
        for (int r = 0; r < b.B; ++r) b.labels.push_back(rng.below(2) ? 1.f : -1.f);
        if (dynamic_cast<OneLayer<float>*>(&model)) b.targets.clear(), b.weights.clear();
        else b.labels.clear();
        losses.push_back(step.run(b, s, 12));
        if (s == 6) model.forward(Batch{.B = 3, .T = 6, .tokens = std::vector<int>(18, 1)});  // another shape
      }
      if (record) REQUIRE(step.recordings() == 2);
      for (float p : model.store().download(model.store().params())) losses.push_back(p);
    };
    TransformerConfig tc{.vocab = 11, .d = 16, .layers = 2, .heads = 2, .max_len = 6};
    if (moe) tc.experts = 4, tc.top_k = 2;
    Transformer<float> t(tc, *be, 3);
    train(t);
    OneLayer<float> o({.vocab = 11, .m = 8, .heads = 2, .hidden = 16, .experts = moe ? 4 : 0}, *be, 3);
    train(o);
    return losses;
  };
  for (bool moe : {false, true}) REQUIRE(run(true, moe) == run(false, moe));
}

bool have_bf16() {
  if (!have_gpu()) return false;
  if (cuda_devices()[0].sm_major >= 8) return true;
  std::printf("MOESIM_TEST_SKIPPED: bf16 needs compute capability 8.0 (this GPU: %d.%d)\n",
              cuda_devices()[0].sm_major, cuda_devices()[0].sm_minor);
  return false;
}

// Round to nearest even to bf16 (8 significant bits), as __float2bfloat16 does (finite values).
float bf16_round(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  bits = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF0000u;
  std::memcpy(&x, &bits, 4);
  return x;
}

// bf16 matrix products (MatmulPrecision::Bf16): inputs rounded to bf16 (unit roundoff u = 2^-8), products
// exact and sums in fp32 on the tensor cores. Two checks per element, against sums in double:
// - of the exact inputs: each term a*b carries a relative error of at most 2u + u^2, so |C - C_exact| <=
//   (2^-7 + 2^-16 + K * 2^-23) * sum_k |a_ik b_kj|: the documented tolerance;
// - of the inputs rounded to bf16 here: only fp32 accumulation separates them, |C - C'| <= K * 2^-23 *
//   sum_k |a'_ik b'_kj|; an element cuBLAS read unrounded (a wrong span) or a wrong operand fails it.
// Padded leading dimensions, gaps between the batch's matrices and an offset start exercise the spans
// converted; the bf16 result must differ from the fp32 one, or the test would pass without the bf16 path.
TEST_CASE("cuda: bf16 GEMMs stay within bf16's rounding bound of a double reference", "[models][cuda]") {
  if (!have_bf16()) return;
  auto fp32 = make_cuda_backend<float>();
  auto bf16 = make_cuda_backend<float>(MatmulPrecision::Bf16);
  const int M = 37, N = 29, K = 300, batch = 3, pad = 5, offset = 7;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb)
      for (int batched = 0; batched < 2; ++batched) {
        const int nb = batched ? batch : 1;
        const int lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad;
        const long sa = long(ta ? K : M) * lda + 11, sb = long(tb ? N : K) * ldb + 13;  // gaps between matrices
        const auto A = random(offset + size_t(nb) * sa, 61 + ta), B = random(offset + size_t(nb) * sb, 71 + tb);
        std::vector<float> outs[2];
        int i = 0;
        for (Backend<float>* be : {fp32.get(), bf16.get()}) {
          Mem m{*be, {}};
          auto a = m.put(A) + offset, b = m.put(B) + offset, c = m.put(std::vector<float>(size_t(nb) * M * N, 0.f));
          if (batched) {
            be->gemm_batched(ta, tb, M, N, K, 1.f, a, lda, sa, b, ldb, sb, 0.f, c, N, long(M) * N, nb);
          } else {
            be->gemm(ta, tb, M, N, K, 1.f, a, lda, b, ldb, 0.f, c, N);
          }
          outs[i++] = m.get(c, size_t(nb) * M * N);
        }
        const double bound = std::ldexp(1.0, -7) + std::ldexp(1.0, -16) + K * std::ldexp(1.0, -23);
        double worst = 0, worst_rounded = 0, differs = 0;
        for (int g = 0; g < nb; ++g)
          for (int r = 0; r < M; ++r)
            for (int col = 0; col < N; ++col) {
              double exact = 0, magnitude = 0, rounded = 0, rounded_magnitude = 0;
              for (int k = 0; k < K; ++k) {
                const float a = A[offset + size_t(g) * sa + (ta ? size_t(k) * lda + r : size_t(r) * lda + k)];
                const float b = B[offset + size_t(g) * sb + (tb ? size_t(col) * ldb + k : size_t(k) * ldb + col)];
                exact += double(a) * b, magnitude += std::abs(double(a) * b);
                const double ab = double(bf16_round(a)) * bf16_round(b);
                rounded += ab, rounded_magnitude += std::abs(ab);
              }
              const float got = outs[1][(size_t(g) * M + r) * N + col];
              worst = std::max(worst, std::abs(got - exact) / (bound * magnitude));
              worst_rounded = std::max(worst_rounded,
                                       std::abs(got - rounded) / (K * std::ldexp(1.0, -23) * rounded_magnitude));
              differs = std::max(differs, double(std::abs(got - outs[0][(size_t(g) * M + r) * N + col])));
            }
        std::printf("cuda bf16 gemm ta=%d tb=%d batched=%d: largest error %.3f of the bound, %.3f of the "
                    "accumulation bound on bf16 inputs; largest bf16-fp32 difference %.2e\n",
                    ta, tb, batched, worst, worst_rounded, differs);
        REQUIRE(worst <= 1.0);
        REQUIRE(worst_rounded <= 1.0);
        REQUIRE(differs > 0);
      }
}

// A Transformer on a task with irreducible loss (half the targets random), 1,000 steps from one seed: the
// bf16 run's mean loss over its last 100 steps within 1% of the fp32 run's; and two bf16 runs the same bits.
TEST_CASE("cuda: 1,000 bf16 training steps end within 1% of fp32's loss, the same bits run to run", "[models][cuda]") {
  if (!have_bf16()) return;
  auto run = [](MatmulPrecision precision, int steps) {
    auto be = make_cuda_backend<float>(precision);
    TransformerConfig c{.vocab = 13, .d = 64, .layers = 2, .heads = 4, .experts = 4, .max_len = 16};
    Transformer<float> model(c, *be, 3);
    AdamW<float> opt({.lr = 3e-3}, model.store());
    TrainStep<float> step(model, opt);
    std::vector<double> losses;
    for (long s = 0; s < steps; ++s) {
      moesim::graphs::Rng rng(9, uint64_t(s));
      Batch b{.B = 16, .T = 16};
      for (int i = 0; i < 256; ++i) {
        b.tokens.push_back(int(rng.below(13)));
        b.targets.push_back(rng.below(2) ? (b.tokens.back() * 3 + 1) % 13 : int(rng.below(13)));
      }
      b.weights.assign(256, 1.f / 256);
      losses.push_back(step.run(b, s, steps));
    }
    return losses;
  };
  auto tail_mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (size_t i = v.size() - 100; i < v.size(); ++i) sum += v[i];
    return sum / 100;
  };
  const auto fp32 = run(MatmulPrecision::Fp32, 1000), bf16 = run(MatmulPrecision::Bf16, 1000);
  std::printf("cuda bf16 training: mean loss of the last 100 of 1000 steps %.5f (fp32 %.5f; first step %.4f)\n",
              tail_mean(bf16), tail_mean(fp32), fp32[0]);
  REQUIRE(tail_mean(fp32) < 0.8 * fp32[0]);  // it learned something, so the comparison is not of two untrained runs
  REQUIRE(std::abs(tail_mean(bf16) - tail_mean(fp32)) <= 0.01 * tail_mean(fp32));
  REQUIRE(run(MatmulPrecision::Bf16, 1000) == bf16);
}
