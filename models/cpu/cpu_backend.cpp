// The CPU backend: GEMMs through Eigen maps over the flat buffers, everything else as OpenMP loops over
// rows. Every reduction runs in a fixed order inside one thread, so results do not depend on scheduling.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <tuple>
#include <vector>

#include "models/backend.hpp"
#include "models/balance_loss.hpp"

namespace moesim::models {
namespace {

template <class T>
using MatMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                          Eigen::OuterStride<>>;
template <class T>
using ConstMatMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>,
                               0, Eigen::OuterStride<>>;

// One Eigen product on one thread (EIGEN_DONT_PARALLELIZE: models/CMakeLists.txt).
template <class T>
void gemm_serial(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb,
                 T beta, T* C, int ldc) {
  MatMap<T> c(C, M, N, Eigen::OuterStride<>(ldc));
  if (beta == T(0)) {
    c.setZero();  // C may hold NaN garbage: never multiply it
  } else if (beta != T(1)) {
    c *= beta;
  }
  if (K == 0) return;
  const ConstMatMap<T> a(A, ta ? K : M, ta ? M : K, Eigen::OuterStride<>(lda));
  const ConstMatMap<T> b(B, tb ? N : K, tb ? K : N, Eigen::OuterStride<>(ldb));
  if (!ta && !tb) c.noalias() += alpha * (a * b);
  if (!ta && tb) c.noalias() += alpha * (a * b.transpose());
  if (ta && !tb) c.noalias() += alpha * (a.transpose() * b);
  if (ta && tb) c.noalias() += alpha * (a.transpose() * b.transpose());
}

// Eigen cuts a product's inner dimension into blocks of kc and adds the blocks' partial sums in turn; it
// derives kc from the L1 size it reads off the CPU, so two hosts' L1s give two sets of bits for every
// product whose inner dimension exceeds one block (a few hundred floats: the Transformer's weight
// gradients, which sum over batch x tokens). Pinned at the first backend, before any product, the bits
// follow the build alone. 48 KiB is the L1d Eigen read on the hosts that computed the committed results
// (their records name an "AMD EPYC", as do hosts where it reads 32 KiB: the name does not tell); the L2
// and L3 sizes only shape the row and column blocks, which change no sum's order.
constexpr std::ptrdiff_t kEigenL1 = 48 * 1024, kEigenL2 = 256 * 1024, kEigenL3 = 2 * 1024 * 1024;
void pin_eigen_blocking() {
  static std::once_flag once;
  std::call_once(once, [] { Eigen::setCpuCacheSizes(kEigenL1, kEigenL2, kEigenL3); });
}

// Below this much work (elements, or multiply-adds for GEMMs) a loop runs on one thread: forking a
// team costs more than it saves, and many tiny parallel regions oversubscribe a busy machine.
constexpr size_t kMinParallelWork = size_t(1) << 15;
inline bool parallel_work(size_t work) { return work >= kMinParallelWork; }

// C in fixed blocks of rows (or of columns, when C is wider than tall), one serial product per block,
// blocks in parallel. Every element's arithmetic follows from its block's shape alone, so the result is
// the same bits with any number of threads; Eigen's own threading chooses its blocking from the thread
// count and would not be.
constexpr int kGemmBlock = 64;

template <class T>
void gemm_one(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
              T* C, int ldc) {
  const bool by_rows = M >= N;
  const int along = by_rows ? M : N, blocks = (along + kGemmBlock - 1) / kGemmBlock;
  if (blocks <= 1 || !parallel_work(size_t(M) * N * std::max(K, 1))) {
    gemm_serial(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int blk = 0; blk < blocks; ++blk) {
    const int i0 = blk * kGemmBlock, n = std::min(kGemmBlock, along - i0);
    if (by_rows)  // rows i0.. of C: rows of op(A)
      gemm_serial(ta, tb, n, N, K, alpha, ta ? A + i0 : A + size_t(i0) * lda, lda, B, ldb, beta, C + size_t(i0) * ldc, ldc);
    else  // columns i0.. of C: columns of op(B)
      gemm_serial(ta, tb, M, n, K, alpha, A, lda, tb ? B + size_t(i0) * ldb : B + i0, ldb, beta, C + i0, ldc);
  }
}

template <class T>
T logsumexp(const T* x, int L) {
  const T mx = *std::max_element(x, x + L);
  T sum = 0;
  for (int j = 0; j < L; ++j) sum += std::exp(x[j] - mx);
  return mx + std::log(sum);
}

template <class T>
T silu(T x) {
  return x / (T(1) + std::exp(-x));
}

template <class T>
class CpuBackend final : public Backend<T> {
 public:
  std::string name() const override { return "cpu"; }

  void* alloc(size_t bytes) override {
    // 64-byte alignment for vector loads; at least one byte so that a zero-size tensor is valid.
    return ::operator new(std::max<size_t>(bytes, 1), std::align_val_t{64});
  }
  void release(void* p) override { ::operator delete(p, std::align_val_t{64}); }
  void upload(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void download(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void copy(void* dst, const void* src, size_t bytes) override { std::memmove(dst, src, bytes); }
  void zero(void* p, size_t bytes) override { std::memset(p, 0, bytes); }

  void gemm(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb,
            T beta, T* C, int ldc) override {
    gemm_one(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }

  void gemm_batched(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, long sa,
                    const T* B, int ldb, long sb, T beta, T* C, int ldc, long sc, int batch) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(batch) * M * N * K))
    for (int i = 0; i < batch; ++i)
      gemm_one(ta, tb, M, N, K, alpha, A + i * sa, lda, B + i * sb, ldb, beta, C + i * sc, ldc);
  }

  // One GEMM per group in group order: the same calls, and so the same bits, as a loop over the experts.
  void gemm_grouped(bool tb, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, long sb, T beta,
                    T* C, int ldc, const int* offsets, int groups, int /*rows*/) override {
    for (int g = 0; g < groups; ++g) {
      const int r0 = offsets[g], cnt = offsets[g + 1] - r0;
      if (cnt > 0)
        gemm_one(false, tb, cnt, N, K, alpha, A + size_t(r0) * lda, lda, B + g * sb, ldb, beta, C + size_t(r0) * ldc,
                 ldc);
    }
  }
  void gemm_grouped_weights(int M, int N, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc,
                            long sc, const int* offsets, int groups, int /*rows*/) override {
    for (int g = 0; g < groups; ++g) {
      const int r0 = offsets[g], cnt = offsets[g + 1] - r0;
      if (cnt > 0)
        gemm_one(true, false, M, N, cnt, alpha, A + size_t(r0) * lda, lda, B + size_t(r0) * ldb, ldb, beta, C + g * sc,
                 ldc);
    }
  }

  void add(T* y, const T* x, size_t n) override {
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t i = 0; i < n; ++i) y[i] += x[i];
  }

  void scale(T* x, size_t n, T s) override {
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t i = 0; i < n; ++i) x[i] *= s;
  }

  std::tuple<int, int, double> rope_key_{-1, -1, 0.0};
  std::vector<T> rope_cos_, rope_sin_;  // (T, hd/2)

  double sum_squares(const T* x, size_t n) override {
    // Fixed-size chunks, each summed in element order, then the chunks' sums in order: the same bits with
    // any thread count. Eight full chunks at a time run interleaved, one running sum each, so that eight
    // independent additions are in flight instead of one chain (the same bits: no sum changes its order).
    constexpr size_t chunk = 4096, lanes = 8;
    const size_t chunks = (n + chunk - 1) / chunk, groups = (chunks + lanes - 1) / lanes;
    std::vector<double> partial(chunks, 0.0);
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t g = 0; g < groups; ++g) {
      const size_t c0 = g * lanes;
      if ((c0 + lanes) * chunk <= n) {
        double s[lanes] = {};
        const T* base = x + c0 * chunk;
        for (size_t i = 0; i < chunk; ++i)
          for (size_t l = 0; l < lanes; ++l) s[l] += double(base[l * chunk + i]) * double(base[l * chunk + i]);
        std::copy(s, s + lanes, partial.begin() + c0);
      } else {
        for (size_t c = c0; c < std::min(chunks, c0 + lanes); ++c) {
          double s = 0;
          for (size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) s += double(x[i]) * double(x[i]);
          partial[c] = s;
        }
      }
    }
    return std::accumulate(partial.begin(), partial.end(), 0.0);
  }
  void weighted_sum(double* out, const T* w, const T* x, int n) override {
    double s = 0;
    for (int i = 0; i < n; ++i) s += (w ? double(w[i]) : 1.0) * double(x[i]);
    *out = s;
  }
  void clip_norm(T* x, size_t n, double max_norm, double* norm) override {
    *norm = std::sqrt(sum_squares(x, n));
    if (max_norm > 0 && *norm > max_norm) scale(x, n, T(max_norm / *norm));
  }

  void add_bias(T* y, const T* b, int rows, int cols) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(rows) * cols))
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) y[size_t(r) * cols + c] += b[c];
  }

  void bias_backward(T* db, const T* dy, int rows, int cols) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(rows) * cols))
    for (int c = 0; c < cols; ++c) {
      T s = 0;
      for (int r = 0; r < rows; ++r) s += dy[size_t(r) * cols + c];
      db[c] += s;
    }
  }

  // One call per group in group order: the same bits as a loop over the experts.
  void add_bias_grouped(T* y, const T* b, const int* offsets, int groups, int /*rows*/, int cols) override {
    for (int g = 0; g < groups; ++g)
      if (offsets[g + 1] > offsets[g])
        add_bias(y + size_t(offsets[g]) * cols, b + size_t(g) * cols, offsets[g + 1] - offsets[g], cols);
  }
  void bias_backward_grouped(T* db, const T* dy, const int* offsets, int groups, int /*rows*/, int cols) override {
    for (int g = 0; g < groups; ++g)
      if (offsets[g + 1] > offsets[g])
        bias_backward(db + size_t(g) * cols, dy + size_t(offsets[g]) * cols, offsets[g + 1] - offsets[g], cols);
  }

  void embedding_forward(T* out, const int* tokens, const T* table, int n, int C) override {
    gather_rows(out, table, tokens, n, C);  // a lookup is a row gather
  }

  void embedding_backward(T* dtable, const T* dout, const int* tokens, int n, int C, int /*V*/) override {
    // Blocks of columns in parallel, tokens in order within each: every dtable element is summed by one
    // thread in token order (the same bits with any thread count), and each token's row is read in runs of
    // contiguous columns rather than one column at a time.
    constexpr int block = 64;
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * C))
    for (int c0 = 0; c0 < C; c0 += block) {
      const int c1 = std::min(C, c0 + block);
      for (int i = 0; i < n; ++i) {
        T* row = dtable + size_t(tokens[i]) * C;
        const T* g = dout + size_t(i) * C;
        for (int c = c0; c < c1; ++c) row[c] += g[c];
      }
    }
  }

  void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * C))
    for (int i = 0; i < n; ++i) {
      const T* xi = x + size_t(i) * C;
      T ss = 0;
      for (int c = 0; c < C; ++c) ss += xi[c] * xi[c];
      const T r = T(1) / std::sqrt(ss / C + eps);
      rstd[i] = r;
      for (int c = 0; c < C; ++c) out[size_t(i) * C + c] = xi[c] * r * w[c];
    }
  }

  void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n,
                        int C) override {
    // dx: y_c = w_c x_c r, r = (mean x^2 + eps)^(-1/2)  =>  dx_c = r (w_c g_c - x_c r^2 <w g, x> / C)
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * C))
    for (int i = 0; i < n; ++i) {
      const T* xi = x + size_t(i) * C;
      const T* gi = dout + size_t(i) * C;
      const T r = rstd[i];
      T dot = 0;
      for (int c = 0; c < C; ++c) dot += w[c] * gi[c] * xi[c];
      for (int c = 0; c < C; ++c) dx[size_t(i) * C + c] += r * (w[c] * gi[c] - xi[c] * r * r * dot / C);
    }
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * C))
    for (int c = 0; c < C; ++c) {
      T s = 0;
      for (int i = 0; i < n; ++i) s += dout[size_t(i) * C + c] * x[size_t(i) * C + c] * rstd[i];
      dw[c] += s;
    }
  }

  void rope(T* x, int rows, int T_, int hd, T base, int sign) override {
    // Pairs (2d, 2d+1) of position t rotate by t * base^(-2d/hd); the angles' cos and sin are tabulated
    // once per shape (computed in double, so every backend rounds the same table).
    const int half = hd / 2;
    if (rope_key_ != std::tuple(T_, hd, double(base))) {
      rope_key_ = {T_, hd, double(base)};
      rope_cos_.resize(size_t(T_) * half);
      rope_sin_.resize(size_t(T_) * half);
      for (int t = 0; t < T_; ++t)
        for (int d = 0; d < half; ++d) {
          const double angle = t * std::pow(double(base), -2.0 * d / hd);
          rope_cos_[size_t(t) * half + d] = T(std::cos(angle));
          rope_sin_[size_t(t) * half + d] = T(std::sin(angle));
        }
    }
#pragma omp parallel for schedule(static) collapse(2) if (parallel_work(size_t(rows) * T_ * hd))
    for (int r = 0; r < rows; ++r)
      for (int t = 0; t < T_; ++t) {
        T* v = x + (size_t(r) * T_ + t) * hd;
        for (int d = 0; d < half; ++d) {
          const T c = rope_cos_[size_t(t) * half + d], s = T(sign) * rope_sin_[size_t(t) * half + d];
          const T a = v[2 * d], b = v[2 * d + 1];
          v[2 * d] = a * c - b * s;
          v[2 * d + 1] = a * s + b * c;
        }
      }
  }

  void to_heads(T* dst, const T* src, int ld, int B, int T_, int H, int hd) override {
#pragma omp parallel for schedule(static) collapse(3) if (parallel_work(size_t(B) * H * T_ * hd))
    for (int b = 0; b < B; ++b)
      for (int h = 0; h < H; ++h)
        for (int t = 0; t < T_; ++t)
          std::memcpy(dst + ((size_t(b) * H + h) * T_ + t) * hd, src + (size_t(b) * T_ + t) * ld + h * hd,
                      hd * sizeof(T));
  }

  void from_heads(T* dst, int ld, const T* src, int B, int T_, int H, int hd) override {
#pragma omp parallel for schedule(static) collapse(3) if (parallel_work(size_t(B) * H * T_ * hd))
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < T_; ++t)
        for (int h = 0; h < H; ++h)
          std::memcpy(dst + (size_t(b) * T_ + t) * ld + h * hd, src + ((size_t(b) * H + h) * T_ + t) * hd,
                      hd * sizeof(T));
  }

  void mask_tokens(T* scores, const int* tokens, int token, int B, int H, int N) override {
#pragma omp parallel for schedule(static) collapse(2) if (parallel_work(size_t(B) * H * N))
    for (int b = 0; b < B; ++b)
      for (int h = 0; h < H; ++h)
        for (int i = 0; i < N; ++i)
          if (tokens[size_t(b) * N + i] == token) scores[(size_t(b) * H + h) * N + i] = -std::numeric_limits<T>::infinity();
  }

  void softmax_forward(T* x, int rows, int L, T scale, bool causal) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(rows) * L))
    for (int r = 0; r < rows; ++r) {
      T* v = x + size_t(r) * L;
      const int valid = causal ? r % L + 1 : L;
      T mx = -std::numeric_limits<T>::infinity();
      for (int j = 0; j < valid; ++j) mx = std::max(mx, scale * v[j]);
      T sum = 0;
      for (int j = 0; j < valid; ++j) sum += (v[j] = std::exp(scale * v[j] - mx));
      for (int j = 0; j < valid; ++j) v[j] /= sum;
      for (int j = valid; j < L; ++j) v[j] = 0;
    }
  }

  void softmax_backward(T* dx, const T* dy, const T* probs, int rows, int L, T scale,
                        bool causal) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(rows) * L))
    for (int r = 0; r < rows; ++r) {
      const T* p = probs + size_t(r) * L;
      const T* g = dy + size_t(r) * L;
      T* d = dx + size_t(r) * L;
      const int valid = causal ? r % L + 1 : L;
      T dot = 0;
      for (int j = 0; j < valid; ++j) dot += p[j] * g[j];
      for (int j = 0; j < valid; ++j) d[j] = scale * p[j] * (g[j] - dot);
      for (int j = valid; j < L; ++j) d[j] = 0;
    }
  }

  // The fused ops, row by row as the textbook writes them: the reference for the CUDA kernels.
  void attention_forward(T* o, T* lse, const T* q, const T* k, const T* v, int BH, int T_, int hd, T scale,
                         bool causal) override {
#pragma omp parallel if (parallel_work(size_t(BH) * T_ * T_ * hd))
    {
      std::vector<T> s(T_);  // one row's scaled scores, then their exponentials
#pragma omp for schedule(static)
      for (int r = 0; r < BH * T_; ++r) {
        const size_t head = size_t(r / T_) * T_ * hd;
        const int i = r % T_, valid = causal ? i + 1 : T_;
        const T* qi = q + size_t(r) * hd;
        T mx = -std::numeric_limits<T>::infinity();
        for (int j = 0; j < valid; ++j) {
          T dot = 0;
          for (int c = 0; c < hd; ++c) dot += qi[c] * k[head + size_t(j) * hd + c];
          mx = std::max(mx, s[j] = scale * dot);
        }
        T sum = 0;
        for (int j = 0; j < valid; ++j) sum += (s[j] = std::exp(s[j] - mx));
        T* oi = o + size_t(r) * hd;
        std::fill(oi, oi + hd, T(0));
        for (int j = 0; j < valid; ++j)
          for (int c = 0; c < hd; ++c) oi[c] += s[j] / sum * v[head + size_t(j) * hd + c];
        lse[r] = mx + std::log(sum);
      }
    }
  }

  // With p_ij = exp(s_ij - lse_i) and D_i = dout_i . o_i: ds_ij = p_ij (dout_i . v_j - D_i),
  // dq_i = scale sum_j ds_ij k_j, dk_j = scale sum_i ds_ij q_i, dv_j = sum_i p_ij dout_i.
  void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* o, const T* lse, const T* q, const T* k,
                          const T* v, int BH, int T_, int hd, T scale, bool causal) override {
    const size_t n = size_t(BH) * T_ * hd;
    std::fill(dq, dq + n, T(0));
    std::fill(dk, dk + n, T(0));
    std::fill(dv, dv + n, T(0));
#pragma omp parallel for schedule(static) if (parallel_work(size_t(BH) * T_ * T_ * hd))
    for (int h = 0; h < BH; ++h) {  // heads are independent: dk and dv sum within one
      const size_t head = size_t(h) * T_ * hd;
      auto at = [&](const T* x, int t) { return x + head + size_t(t) * hd; };
      for (int i = 0; i < T_; ++i) {
        T D = 0;
        for (int c = 0; c < hd; ++c) D += at(dout, i)[c] * at(o, i)[c];
        for (int j = 0; j < (causal ? i + 1 : T_); ++j) {
          T qk = 0, dp = 0;
          for (int c = 0; c < hd; ++c) qk += at(q, i)[c] * at(k, j)[c], dp += at(dout, i)[c] * at(v, j)[c];
          const T p = std::exp(scale * qk - lse[size_t(h) * T_ + i]), ds = p * (dp - D);
          for (int c = 0; c < hd; ++c) {
            dq[head + size_t(i) * hd + c] += scale * ds * at(k, j)[c];
            dk[head + size_t(j) * hd + c] += scale * ds * at(q, i)[c];
            dv[head + size_t(j) * hd + c] += p * at(dout, i)[c];
          }
        }
      }
    }
  }

  void swiglu_forward(T* g, const T* h, int n, int F) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * F))
    for (int i = 0; i < n; ++i)
      for (int f = 0; f < F; ++f) {
        const T* hi = h + size_t(i) * 2 * F;
        g[size_t(i) * F + f] = silu(hi[f]) * hi[F + f];
      }
  }

  void swiglu_backward(T* dh, const T* dg, const T* h, int n, int F) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * F))
    for (int i = 0; i < n; ++i)
      for (int f = 0; f < F; ++f) {
        const T a = h[size_t(i) * 2 * F + f], b = h[size_t(i) * 2 * F + F + f];
        const T s = T(1) / (T(1) + std::exp(-a));
        const T g = dg[size_t(i) * F + f];
        dh[size_t(i) * 2 * F + f] = g * b * s * (T(1) + a * (T(1) - s));
        dh[size_t(i) * 2 * F + F + f] = g * a * s;
      }
  }

  void relu_forward(T* y, const T* x, size_t n) override {
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t i = 0; i < n; ++i) y[i] = x[i] <= T(0) ? T(0) : x[i];  // NaN passes through, as divergence detection needs
  }

  void relu_backward(T* dx, const T* dy, const T* x, size_t n) override {
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t i = 0; i < n; ++i) dx[i] = x[i] > T(0) ? dy[i] : T(0);
  }

  void cross_entropy(T* dlogits, T* loss, const T* logits, const int* targets, const T* weight, int n,
                     int V) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * V))
    for (int i = 0; i < n; ++i) {
      const T* z = logits + size_t(i) * V;
      T* d = dlogits + size_t(i) * V;
      const T lse = logsumexp(z, V);
      loss[i] = weight[i] != T(0) ? lse - z[targets[i]] : T(0);
      for (int v = 0; v < V; ++v) d[v] = weight[i] * std::exp(z[v] - lse);
      d[targets[i]] -= weight[i];
    }
  }

  void logistic(T* dz, T* loss, const T* z, const T* y, T weight, int n) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n)))
    for (int i = 0; i < n; ++i) {
      const T m = -y[i] * z[i];  // loss = softplus(m), stable for both signs
      loss[i] = m > 0 ? m + std::log1p(std::exp(-m)) : std::log1p(std::exp(m));
      dz[i] = weight * -y[i] / (T(1) + std::exp(-m));
    }
  }

  void router_forward(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k,
                      Gate gate) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * E * k))
    for (int i = 0; i < n; ++i) {
      const T* z = logits + size_t(i) * E;
      T* p = probs + size_t(i) * E;
      const T mx = *std::max_element(z, z + E);
      T sum = 0;
      for (int e = 0; e < E; ++e) sum += (p[e] = std::exp(z[e] - mx));
      for (int e = 0; e < E; ++e) p[e] /= sum;
      int* ex = experts + size_t(i) * k;
      T chosen = 0;
      for (int j = 0; j < k; ++j) {  // k passes of argmax: k is small, ties go to the lower index
        int best = -1;
        for (int e = 0; e < E; ++e) {
          if (std::find(ex, ex + j, e) != ex + j) continue;
          if (best < 0 || p[e] > p[best]) best = e;
        }
        ex[j] = best;
        chosen += p[best];
      }
      for (int j = 0; j < k; ++j)
        weights[size_t(i) * k + j] = gate == Gate::Hard          ? T(1)
                                     : gate == Gate::Probability ? p[ex[j]]
                                                                 : p[ex[j]] / chosen;
    }
  }

  void router_backward(T* dlogits, const T* dweights, const T* dprobs_extra, const T* probs,
                       const int* experts, const T* weights, int n, int E, int k, Gate gate) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * E * k))
    for (int i = 0; i < n; ++i) {
      const T* p = probs + size_t(i) * E;
      const T* dw = dweights + size_t(i) * k;
      const T* w = weights + size_t(i) * k;
      const int* ex = experts + size_t(i) * k;
      std::vector<T> dp(E, T(0));  // (E,) gradient w.r.t. the probabilities
      if (dprobs_extra)
        for (int e = 0; e < E; ++e) dp[e] = dprobs_extra[size_t(i) * E + e];
      if (gate == Gate::Probability) {
        for (int j = 0; j < k; ++j) dp[ex[j]] += dw[j];
      } else if (gate == Gate::Renormalized) {
        // w_j = p_j / S with S the sum of the chosen p: dp_j = (dw_j - sum_l dw_l w_l) / S
        T chosen = 0, dot = 0;
        for (int j = 0; j < k; ++j) chosen += p[ex[j]], dot += dw[j] * w[j];
        for (int j = 0; j < k; ++j) dp[ex[j]] += (dw[j] - dot) / chosen;
      }
      T dot = 0;
      for (int e = 0; e < E; ++e) dot += p[e] * dp[e];
      for (int e = 0; e < E; ++e) dlogits[size_t(i) * E + e] = p[e] * (dp[e] - dot);
    }
  }

  void moe_sort(int* offsets, int* rows, int* tokens, const int* experts, int n, int k, int E) override {
    std::fill(offsets, offsets + E + 1, 0);
    for (int s = 0; s < n * k; ++s) ++offsets[experts[s] + 1];
    for (int e = 0; e < E; ++e) offsets[e + 1] += offsets[e];
    std::vector<int> next(offsets, offsets + E);
    for (int s = 0; s < n * k; ++s) {
      const int r = next[experts[s]]++;
      rows[s] = r;
      tokens[r] = s / k;
    }
  }

  void gather_rows(T* dst, const T* src, const int* tokens, int m, int C) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(m) * C))
    for (int r = 0; r < m; ++r) std::memcpy(dst + size_t(r) * C, src + size_t(tokens[r]) * C, C * sizeof(T));
  }

  void scatter_add_rows(T* dst, const T* src, const int* index, int m, int C) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(m) * C))
    for (int r = 0; r < m; ++r)
      for (int c = 0; c < C; ++c) dst[size_t(index[r]) * C + c] += src[size_t(r) * C + c];
  }

  void gather_sum_rows(T* dst, const T* src, const int* rows, int n, int k, int C) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * k * C))
    for (int t = 0; t < n; ++t)
      for (int j = 0; j < k; ++j) {
        const T* s = src + size_t(rows[size_t(t) * k + j]) * C;
        for (int c = 0; c < C; ++c) dst[size_t(t) * C + c] += s[c];
      }
  }

  void combine_forward(T* out, const T* y, const T* weights, const int* rows, int n, int k,
                       int C) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * k * C))
    for (int t = 0; t < n; ++t) {
      T* o = out + size_t(t) * C;
      for (int j = 0; j < k; ++j) {
        const T w = weights[size_t(t) * k + j];
        const T* yr = y + size_t(rows[size_t(t) * k + j]) * C;
        for (int c = 0; c < C; ++c) o[c] += w * yr[c];
      }
    }
  }

  void combine_backward(T* dy, T* dweights, const T* dout, const T* y, const T* weights, const int* rows,
                        int n, int k, int C) override {
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * k * C))
    for (int t = 0; t < n; ++t)
      for (int j = 0; j < k; ++j) {
        const size_t r = rows[size_t(t) * k + j];
        const T w = weights[size_t(t) * k + j];
        const T* g = dout + size_t(t) * C;
        T dot = 0;
        for (int c = 0; c < C; ++c) {
          dy[r * C + c] = w * g[c];
          dot += g[c] * y[r * C + c];
        }
        dweights[size_t(t) * k + j] = dot;
      }
  }

  void balance_loss(T* dprobs, double* loss, const T* probs, const int* offsets, int n, int E, int k,
                    T coef) override {
    std::vector<double> sums(E, 0.0);
    for (int e = 0; e < E; ++e)
      for (int i = 0; i < n; ++i) sums[e] += probs[size_t(i) * E + e];
    const BalanceTerms t = balance_terms(sums, offsets, n, k, coef);
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * E))
    for (int i = 0; i < n; ++i)
      for (int e = 0; e < E; ++e) dprobs[size_t(i) * E + e] = T(t.dprob[e]);
    *loss = t.loss;
  }

  void z_loss(T* dlogits, double* loss, const T* logits, int n, int E, T coef) override {
    std::vector<double> z(n);
#pragma omp parallel for schedule(static) if (parallel_work(size_t(n) * E))
    for (int i = 0; i < n; ++i) {
      const T* l = logits + size_t(i) * E;
      const T lse = logsumexp(l, E);
      z[i] = lse;
      for (int e = 0; e < E; ++e) dlogits[size_t(i) * E + e] += coef * 2 * lse / n * std::exp(l[e] - lse);
    }
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += z[i] * z[i];
    *loss = coef * sum / n;
  }

  void adamw(T* param, const T* grad, T* m, T* v, size_t n, const T* schedule, T beta1, T beta2, T eps,
             T weight_decay) override {
    const T lr = schedule[0], c1 = schedule[1], c2 = schedule[2];
#pragma omp parallel for schedule(static) if (parallel_work(n))
    for (size_t i = 0; i < n; ++i) {
      m[i] = beta1 * m[i] + (T(1) - beta1) * grad[i];
      v[i] = beta2 * v[i] + (T(1) - beta2) * grad[i] * grad[i];
      const T mhat = m[i] / c1, vhat = v[i] / c2;
      param[i] -= lr * (mhat / (std::sqrt(vhat) + eps) + weight_decay * param[i]);
    }
  }
};

}  // namespace

template <class T>
std::unique_ptr<Backend<T>> make_cpu_backend() {
  pin_eigen_blocking();
  return std::make_unique<CpuBackend<T>>();
}
template std::unique_ptr<Backend<float>> make_cpu_backend<float>();
template std::unique_ptr<Backend<double>> make_cpu_backend<double>();

}  // namespace moesim::models
