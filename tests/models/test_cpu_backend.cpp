// The CPU backend's ops on fixed cases (their gradients are checked through the models' gradient tests).
#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "models/backend.hpp"

using namespace moesim::models;

TEST_CASE("cpu ops: renormalised top-k weights sum to 1 and pick the largest probabilities", "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  const int n = 3, E = 5, k = 3;
  const std::vector<double> logits{0.1, 2.0, -1.0, 0.5, 0.5,   // tie between experts 3 and 4: lower wins
                                   3.0, 3.0, 3.0, 3.0, 3.0,    // all equal
                                   -2., 0.0, 1.0, 4.0, -5.};
  std::vector<double> probs(n * E), weights(n * k);
  std::vector<int> experts(n * k);
  be->router_forward(probs.data(), experts.data(), weights.data(), logits.data(), n, E, k, Gate::Renormalized);
  REQUIRE(experts == std::vector<int>{1, 3, 4, 0, 1, 2, 3, 2, 1});
  for (int i = 0; i < n; ++i) {
    REQUIRE(std::accumulate(weights.begin() + i * k, weights.begin() + (i + 1) * k, 0.0) == Approx(1.0).epsilon(1e-15));
    REQUIRE(std::accumulate(probs.begin() + i * E, probs.begin() + (i + 1) * E, 0.0) == Approx(1.0).epsilon(1e-15));
  }
  be->router_forward(probs.data(), experts.data(), weights.data(), logits.data(), n, E, k, Gate::Hard);
  for (double w : weights) REQUIRE(w == 1.0);
}

TEST_CASE("cpu ops: the balancing loss equals a hand-computed value", "[models][cpu_backend]") {
  // 4 tokens, 2 experts, k = 1. Router probabilities (rows): (.9,.1) (.6,.4) (.3,.7) (.8,.2).
  // Choices: 0, 0, 1, 0 -> f = (3/4, 1/4); P = mean probs = (0.65, 0.35).
  // loss = coef * E/k * sum f_e P_e = 0.01 * 2 * (0.75*0.65 + 0.25*0.35) = 0.0115
  auto be = make_cpu_backend<double>();
  const std::vector<double> probs{.9, .1, .6, .4, .3, .7, .8, .2};
  const std::vector<int> offsets{0, 3, 4};
  std::vector<double> dprobs(8);
  double loss = 0;
  be->balance_loss(dprobs.data(), &loss, probs.data(), offsets.data(), 4, 2, 1, 0.01);
  REQUIRE(loss == Approx(0.0115).epsilon(1e-12));
  // d loss / d probs[t][e] = coef * E/k * f_e / n
  REQUIRE(dprobs[0] == Approx(0.01 * 2 * 0.75 / 4));
  REQUIRE(dprobs[1] == Approx(0.01 * 2 * 0.25 / 4));
  // Normalised by k: with k = 2 every token picks both experts, f = (1, 1), loss = coef * E/2 * 1.
  const std::vector<int> both{0, 4, 8};
  be->balance_loss(dprobs.data(), &loss, probs.data(), both.data(), 4, 2, 2, 0.01);
  REQUIRE(loss == Approx(0.01));
}

TEST_CASE("cpu ops: grouped bias ops are the plain ones on each group's rows", "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  const int cols = 3;
  const std::vector<int> offsets{0, 2, 2, 5};  // groups of 2, 0 and 3 rows
  std::vector<double> y(5 * cols), b(3 * cols), db(3 * cols, 1.0);
  std::iota(y.begin(), y.end(), 0.0);
  std::iota(b.begin(), b.end(), 100.0);
  auto want = y;
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < cols; ++c) want[r * cols + c] += b[(r < 2 ? 0 : 2) * cols + c];
  be->add_bias_grouped(y.data(), b.data(), offsets.data(), 3, 5, cols);
  REQUIRE(y == want);
  be->bias_backward_grouped(db.data(), y.data(), offsets.data(), 3, 5, cols);
  for (int c = 0; c < cols; ++c) {
    REQUIRE(db[0 * cols + c] == 1.0 + y[0 * cols + c] + y[1 * cols + c]);
    REQUIRE(db[1 * cols + c] == 1.0);  // the empty group's gradient is untouched
    REQUIRE(db[2 * cols + c] == 1.0 + (y[2 * cols + c] + y[3 * cols + c] + y[4 * cols + c]));
  }
}

TEST_CASE("cpu ops: clip_norm reports the norm and rescales only above the clip", "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  double norm = -1;
  std::vector<double> g{3.0, 0.0, 4.0};
  be->clip_norm(g.data(), g.size(), 10.0, &norm);  // below the clip: untouched
  REQUIRE(norm == 5.0);
  REQUIRE(g == std::vector<double>{3.0, 0.0, 4.0});
  be->clip_norm(g.data(), g.size(), 0.0, &norm);  // clip 0 is off
  REQUIRE(g == std::vector<double>{3.0, 0.0, 4.0});
  be->clip_norm(g.data(), g.size(), 1.0, &norm);  // the norm before clipping, the gradient at the clip
  REQUIRE(norm == 5.0);
  REQUIRE(g[0] == Approx(0.6));
  REQUIRE(g[2] == Approx(0.8));
  // The norm is sum_squares' sum, square-rooted: the same bits.
  std::vector<double> r(10000);
  for (size_t i = 0; i < r.size(); ++i) r[i] = std::sin(double(i));
  const double want = std::sqrt(be->sum_squares(r.data(), r.size()));
  be->clip_norm(r.data(), r.size(), 0.0, &norm);
  REQUIRE(norm == want);
}

TEST_CASE("cpu ops: weighted_sum sums in double in index order, weights 1 when none are given",
          "[models][cpu_backend]") {
  auto be = make_cpu_backend<float>();
  const std::vector<float> x{1e8f, 1.f, -1e8f, 0.5f}, w{2.f, 3.f, 2.f, 4.f};
  double out = 0;
  be->weighted_sum(&out, w.data(), x.data(), 4);
  REQUIRE(out == 5.0);  // 2e8 + 3 - 2e8 + 2, exact in double (float would lose the 3)
  be->weighted_sum(&out, nullptr, x.data(), 4);
  REQUIRE(out == 1.5);
}

TEST_CASE("cpu ops: causal softmax rows sum to 1 over the allowed columns", "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  const int T = 4;
  std::vector<double> x(2 * T * T);
  std::iota(x.begin(), x.end(), 0.0);
  be->softmax_forward(x.data(), 2 * T, T, 0.5, true);
  for (int r = 0; r < 2 * T; ++r) {
    double sum = 0;
    for (int j = 0; j < T; ++j) {
      if (j > r % T) REQUIRE(x[r * T + j] == 0.0);
      sum += x[r * T + j];
    }
    REQUIRE(sum == Approx(1.0));
  }
}

TEST_CASE("cpu ops: fused attention equals the materialised scores, softmax and products", "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  const int BH = 4, T = 33, hd = 8;  // BH T^2 hd above the backend's threshold: its OpenMP loops run
  const long mat = long(T) * hd, sq = long(T) * T;
  const double scale = 0.7;
  auto filled = [](size_t n, double phase) {
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = std::sin(1.3 * double(i) + phase);
    return v;
  };
  const auto q = filled(BH * mat, 0.1), k = filled(BH * mat, 0.2), v = filled(BH * mat, 0.3), dout = filled(BH * mat, 0.4);
  for (bool causal : {true, false}) {
    // Materialised: att = softmax(scale q k^T), o = att v; backward through the same three steps.
    std::vector<double> att(BH * sq), o(BH * mat), datt(BH * sq), dq(BH * mat), dk(BH * mat), dv(BH * mat);
    be->gemm_batched(false, true, T, T, hd, 1.0, q.data(), hd, mat, k.data(), hd, mat, 0.0, att.data(), T, sq, BH);
    std::vector<double> scores = att;
    be->softmax_forward(att.data(), BH * T, T, scale, causal);
    be->gemm_batched(false, false, T, hd, T, 1.0, att.data(), T, sq, v.data(), hd, mat, 0.0, o.data(), hd, mat, BH);
    be->gemm_batched(false, true, T, T, hd, 1.0, dout.data(), hd, mat, v.data(), hd, mat, 0.0, datt.data(), T, sq, BH);
    be->gemm_batched(true, false, T, hd, T, 1.0, att.data(), T, sq, dout.data(), hd, mat, 0.0, dv.data(), hd, mat, BH);
    be->softmax_backward(datt.data(), datt.data(), att.data(), BH * T, T, scale, causal);
    be->gemm_batched(false, false, T, hd, T, 1.0, datt.data(), T, sq, k.data(), hd, mat, 0.0, dq.data(), hd, mat, BH);
    be->gemm_batched(true, false, T, hd, T, 1.0, datt.data(), T, sq, q.data(), hd, mat, 0.0, dk.data(), hd, mat, BH);

    std::vector<double> fo(BH * mat), lse(BH * T), fq(BH * mat, 9.0), fk(BH * mat, 9.0), fv(BH * mat, 9.0);
    be->attention_forward(fo.data(), lse.data(), q.data(), k.data(), v.data(), BH, T, hd, scale, causal);
    be->attention_backward(fq.data(), fk.data(), fv.data(), dout.data(), fo.data(), lse.data(), q.data(), k.data(),
                           v.data(), BH, T, hd, scale, causal);  // outputs written, not accumulated
    auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
      for (size_t i = 0; i < a.size(); ++i) REQUIRE(b[i] == Approx(a[i]).epsilon(1e-12).margin(1e-12));
    };
    same(o, fo), same(dq, fq), same(dk, fk), same(dv, fv);
    for (int r = 0; r < BH * T; ++r) {  // lse: log of the sum of exp(scale * score) over the allowed keys
      double sum = 0;
      for (int j = 0; j < (causal ? r % T + 1 : T); ++j) sum += std::exp(scale * scores[size_t(r) * T + j]);
      REQUIRE(lse[r] == Approx(std::log(sum)).epsilon(1e-13));
    }
  }
}

TEST_CASE("cpu ops: the counting sort groups slots by expert, stably", "[models][cpu_backend]") {
  auto be = make_cpu_backend<float>();
  const std::vector<int> experts{2, 0, 1, 2, 0, 0};  // 3 tokens, k = 2
  std::vector<int> offsets(4), rows(6), tokens(6);
  be->moe_sort(offsets.data(), rows.data(), tokens.data(), experts.data(), 3, 2, 3);
  REQUIRE(offsets == std::vector<int>{0, 3, 4, 6});
  REQUIRE(tokens == std::vector<int>{0, 2, 2, 1, 0, 1});
  for (int s = 0; s < 6; ++s) REQUIRE(tokens[rows[s]] == s / 2);
}

TEST_CASE("cpu ops: grouped GEMMs are each group's own product, and an empty group is left as it was",
          "[models][cpu_backend]") {
  auto be = make_cpu_backend<double>();
  const std::vector<int> offsets{0, 2, 2, 5};  // groups of 2, 0 and 3 rows
  const int G = 3, R = 5, K = 3, N = 2;
  std::vector<double> A(R * K), Bn(G * K * N), Bt(G * N * K), X(R * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = double(i % 7) - 3;
  for (size_t i = 0; i < Bn.size(); ++i) Bn[i] = double(i % 5) - 2;
  for (int g = 0; g < G; ++g)  // Bt_g = Bn_g^T
    for (int k = 0; k < K; ++k)
      for (int c = 0; c < N; ++c) Bt[g * N * K + c * K + k] = Bn[g * K * N + k * N + c];
  for (size_t i = 0; i < X.size(); ++i) X[i] = double(i) + 1;
  auto group_of = [&](int r) { return r < 2 ? 0 : 2; };
  for (int tb = 0; tb < 2; ++tb) {
    std::vector<double> C(R * N, 1.0);
    be->gemm_grouped(tb, N, K, 2.0, A.data(), K, tb ? Bt.data() : Bn.data(), tb ? K : N, long(K) * N, 0.5, C.data(), N,
                     offsets.data(), G, R);
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < N; ++c) {
        double want = 0;
        for (int k = 0; k < K; ++k) want += A[r * K + k] * Bn[group_of(r) * K * N + k * N + c];
        REQUIRE(C[r * N + c] == 2 * want + 0.5);  // small integers: exact
      }
  }
  std::vector<double> W(G * K * N, 7.0);  // W_g (K,N) += A_g^T X_g
  be->gemm_grouped_weights(K, N, 1.0, A.data(), K, X.data(), N, 1.0, W.data(), N, long(K) * N, offsets.data(), G, R);
  for (int g = 0; g < G; ++g)
    for (int k = 0; k < K; ++k)
      for (int c = 0; c < N; ++c) {
        double want = 7;
        for (int r = offsets[g]; r < offsets[g + 1]; ++r) want += A[r * K + k] * X[r * N + c];
        REQUIRE(W[g * K * N + k * N + c] == want);
      }
  REQUIRE(W[1 * K * N] == 7.0);  // the empty group
}

TEST_CASE("cpu ops: sum_squares sums 4096-element chunks in element order, then the chunks in order",
          "[models][cpu_backend]") {
  // Two full groups of eight interleaved chunks, three chunks of a partial group and a ragged tail: every
  // path of the interleaved sum must give the bits of the plain one.
  auto be = make_cpu_backend<float>();
  const size_t chunk = 4096, n = 19 * chunk + 17;
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = float(std::sin(0.37 * double(i)) * (1.0 + double(i % 7)));
  double want = 0;
  for (size_t c0 = 0; c0 < n; c0 += chunk) {
    double s = 0;
    for (size_t i = c0; i < std::min(n, c0 + chunk); ++i) s += double(x[i]) * double(x[i]);
    want += s;
  }
  REQUIRE(be->sum_squares(x.data(), n) == want);
  REQUIRE(be->sum_squares(x.data(), 5) == double(x[0]) * x[0] + double(x[1]) * x[1] + double(x[2]) * x[2] +
                                              double(x[3]) * x[3] + double(x[4]) * x[4]);
}

TEST_CASE("cpu ops: embedding_backward adds each token's gradient to its row, in token order", "[models][cpu_backend]") {
  // 70 columns: one full block of columns and a partial one; repeated tokens accumulate in token order.
  auto be = make_cpu_backend<float>();
  const int n = 9, C = 70, V = 4;
  const std::vector<int> tokens{3, 0, 3, 1, 3, 0, 2, 3, 1};
  std::vector<float> dout(n * C), table(V * C, 0.25f);
  for (size_t i = 0; i < dout.size(); ++i) dout[i] = float(std::cos(1.3 * double(i))) * 1e3f;
  auto want = table;
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < C; ++c) want[tokens[i] * C + c] += dout[i * C + c];
  be->embedding_backward(table.data(), dout.data(), tokens.data(), n, C, V);
  REQUIRE(table == want);
}

TEST_CASE("cpu ops: a long GEMM sums its inner dimension in the pinned blocks, not the host's", "[models][cpu_backend]") {
#if defined(__AVX2__) && defined(__FMA__) && !defined(__AVX512F__)
  // The default build (x86-64-v3: AVX2 + FMA). With L1 pinned at 48 KiB Eigen's kc for K = 2048 is 416 (on
  // a host whose own 32 KiB it read: 264): each element is a chain of FMAs over a block of 416, the blocks'
  // sums added in order. The plain chain over all 2048 terms differs in most elements, so this fails unless
  // the pin holds.
  auto be = make_cpu_backend<float>();
  REQUIRE(Eigen::l1CacheSize() == 48 * 1024);  // the pin, on any host
  const int M = 64, N = 48, K = 2048, kc = 416;
  std::vector<float> A(size_t(M) * K), B(size_t(K) * N), C(size_t(M) * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = float(std::sin(0.61 * double(i)));
  for (size_t i = 0; i < B.size(); ++i) B[i] = float(std::cos(0.29 * double(i)));
  be->gemm(false, false, M, N, K, 1.0f, A.data(), K, B.data(), N, 0.0f, C.data(), N);
  int blocked = 0, plain = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float want = 0, chain = 0;
      for (int k0 = 0; k0 < K; k0 += kc) {
        float s = 0;
        for (int k = k0; k < std::min(K, k0 + kc); ++k) s = std::fma(A[size_t(i) * K + k], B[size_t(k) * N + j], s);
        want += s;
      }
      for (int k = 0; k < K; ++k) chain = std::fma(A[size_t(i) * K + k], B[size_t(k) * N + j], chain);
      blocked += C[size_t(i) * N + j] == want;
      plain += C[size_t(i) * N + j] == chain;
    }
  REQUIRE(blocked == M * N);
  REQUIRE(plain < M * N / 2);
#else
  WARN("skipped: the blocking is pinned for the default x86-64-v3 build; this build has other vector widths");
#endif
}
