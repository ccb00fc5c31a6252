// The CUDA backend: cuBLAS for the GEMMs (strided-batched for attention), kernels for the rest, one file
// per kind (*_kernels.cuh). Everything stays on the device except what the host must know: the norms and
// losses it returns. The MoE layer's experts are grouped GEMMs that read the expert offsets on the device.
// Compiled into the CUDA module, not into moesim (models/cuda/module_abi.hpp).
#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>
#include <type_traits>
#include <vector>

#include "models/backend.hpp"
#include "models/cuda/adamw_kernel.cuh"
#include "models/cuda/attention_kernels.cuh"
#include "models/cuda/check.cuh"
#include "models/cuda/counting_sort_kernels.cuh"
#include "models/cuda/dispatch_kernels.cuh"
#include "models/cuda/elementwise_kernels.cuh"
#include "models/cuda/embedding_kernels.cuh"
#include "models/cuda/fused_attention_kernels.cuh"
#include "models/cuda/grouped_gemm_kernels.cuh"
#include "models/cuda/loss_kernels.cuh"
#include "models/cuda/module.hpp"
#include "models/cuda/norm_kernels.cuh"
#include "models/cuda/precision_kernels.cuh"
#include "models/cuda/reduction_kernels.cuh"
#include "models/cuda/router_kernels.cuh"

namespace moesim::models {
namespace {

using namespace cuda;

template <class T>
cublasStatus_t gemm_call(cublasHandle_t h, cublasOperation_t a, cublasOperation_t b, int m, int n, int k,
                         const T* alpha, const T* A, int lda, const T* B, int ldb, const T* beta, T* C, int ldc) {
  if constexpr (sizeof(T) == 4) return cublasSgemm(h, a, b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  else return cublasDgemm(h, a, b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <class T>
cublasStatus_t gemm_batched_call(cublasHandle_t h, cublasOperation_t a, cublasOperation_t b, int m, int n, int k,
                                 const T* alpha, const T* A, int lda, long sa, const T* B, int ldb, long sb,
                                 const T* beta, T* C, int ldc, long sc, int batch) {
  if constexpr (sizeof(T) == 4)
    return cublasSgemmStridedBatched(h, a, b, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
  else
    return cublasDgemmStridedBatched(h, a, b, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
}

template <class T>
class CudaBackend final : public Backend<T> {
 public:
  explicit CudaBackend(MatmulPrecision precision) : bf16_(precision == MatmulPrecision::Bf16) {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
      cudaGetLastError();
      throw std::runtime_error("no CUDA GPU is available (hint: run on a machine with a GPU, or --device cpu)");
    }
    if (bf16_) {
      if (!std::is_same_v<T, float>) throw std::invalid_argument("bf16 matrix products are for float backends");
      int device = 0, major = 0;
      CUDA_CHECK(cudaGetDevice(&device));
      CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
      if (major < 8)
        throw std::invalid_argument("bf16 needs a GPU of compute capability 8.0 or more (this one: " +
                                    std::to_string(major) + ".x; accepted there: fp32)");
    }
    CUBLAS_CHECK(cublasCreate(&handle_));
    // A stream of its own: several backends (a sweep's jobs) run side by side on one GPU instead of
    // serialising on the legacy default stream.
    CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    CUBLAS_CHECK(cublasSetStream(handle_, stream_));
    // A workspace of cuBLAS's own, set after the stream (setting a stream resets it): a recorded graph's
    // GEMMs then allocate nothing while being captured.
    CUDA_CHECK(cudaMalloc(&workspace_, kCublasWorkspace));
    CUBLAS_CHECK(cublasSetWorkspace(handle_, workspace_, kCublasWorkspace));
  }
  ~CudaBackend() override {
    if (stream_) cudaStreamSynchronize(stream_);
    if (graph_) cudaGraphExecDestroy(graph_);
    for (auto& [slot, buffer] : scratch_) cudaFree(buffer.first);
    if (handle_) cublasDestroy(handle_);
    if (workspace_) cudaFree(workspace_);
    if (stream_) cudaStreamDestroy(stream_);
  }

  std::string name() const override { return "cuda"; }

  void* alloc(size_t bytes) override {
    void* p = nullptr;
    CUDA_CHECK(cudaMalloc(&p, std::max<size_t>(bytes, 1)));
    return p;
  }
  void release(void* p) override { CUDA_CHECK(cudaFree(p)); }
  void* alloc_host(size_t bytes) override {
    void* p = nullptr;
    CUDA_CHECK(cudaMallocHost(&p, std::max<size_t>(bytes, 1)));
    return p;
  }
  void release_host(void* p) override { CUDA_CHECK(cudaFreeHost(p)); }
  // Host transfers wait for the stream: the host buffer may change or vanish once they return. Inside a
  // capture they are recorded (from or to pinned memory) and wait for nothing.
  void upload(void* dst, const void* src, size_t bytes) override {
    CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream_));
    if (!capturing_) CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  void download(void* dst, const void* src, size_t bytes) override {
    CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream_));
    if (!capturing_) CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  // One CUDA graph, captured from this backend's stream. Thread-local capture mode: the jobs of a sweep
  // (other backends, other threads) may allocate while this one records.
  bool can_capture() const override { return true; }
  void begin_capture() override {
    if (capturing_) throw std::logic_error("cuda backend: begin_capture() while a capture is under way");
    CUDA_CHECK(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    capturing_ = true;
  }
  void end_capture() override {
    capturing_ = false;
    ++epoch_;
    cudaGraph_t graph = nullptr;
    if (const cudaError_t ended = cudaStreamEndCapture(stream_, &graph); ended != cudaSuccess) {
      cudaGetLastError();  // a failed capture's error is not the next kernel's
      CUDA_CHECK(ended);
    }
    if (graph_) CUDA_CHECK(cudaGraphExecDestroy(graph_));
    graph_ = nullptr;
    const cudaError_t made = cudaGraphInstantiate(&graph_, graph, 0);
    cudaGraphDestroy(graph);
    CUDA_CHECK(made);
  }
  void replay() override {
    if (!graph_) throw std::logic_error("cuda backend: replay() without a recorded graph");
    CUDA_CHECK(cudaGraphLaunch(graph_, stream_));
  }
  void synchronize() override { CUDA_CHECK(cudaStreamSynchronize(stream_)); }
  long epoch() const override { return epoch_; }
  void copy(void* dst, const void* src, size_t bytes) override {
    CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream_));
  }
  void zero(void* p, size_t bytes) override { CUDA_CHECK(cudaMemsetAsync(p, 0, bytes, stream_)); }

  // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
  void gemm(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C,
            int ldc) override {
    if (M == 0 || N == 0) return;
    const auto opa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, opb = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if constexpr (std::is_same_v<T, float>) {
      if (bf16_ && K > 0) {  // K = 0 (C = beta C) reads no operand: the fp32 call below
        const auto* a = to_bf16(kBf16A, A, span(ta, M, K, lda));
        const auto* b = to_bf16(kBf16B, B, span(tb, K, N, ldb));
        CUBLAS_CHECK(cublasGemmEx(handle_, opb, opa, N, M, K, &alpha, b, CUDA_R_16BF, ldb, a, CUDA_R_16BF, lda, &beta,
                                  C, CUDA_R_32F, ldc, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        return;
      }
    }
    CUBLAS_CHECK(gemm_call<T>(handle_, opb, opa, N, M, K, &alpha, B, ldb, A, lda, &beta, C, ldc));
  }
  void gemm_batched(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, long sa, const T* B, int ldb,
                    long sb, T beta, T* C, int ldc, long sc, int batch) override {
    if (M == 0 || N == 0 || batch == 0) return;
    const auto opa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, opb = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if constexpr (std::is_same_v<T, float>) {
      if (bf16_ && K > 0) {
        const auto* a = to_bf16(kBf16A, A, size_t(batch - 1) * size_t(sa) + span(ta, M, K, lda));
        const auto* b = to_bf16(kBf16B, B, size_t(batch - 1) * size_t(sb) + span(tb, K, N, ldb));
        CUBLAS_CHECK(cublasGemmStridedBatchedEx(handle_, opb, opa, N, M, K, &alpha, b, CUDA_R_16BF, ldb, sb, a,
                                                CUDA_R_16BF, lda, sa, &beta, C, CUDA_R_32F, ldc, sc, batch,
                                                CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        return;
      }
    }
    CUBLAS_CHECK(gemm_batched_call<T>(handle_, opb, opa, N, M, K, &alpha, B, ldb, sb, A, lda, sa, &beta, C, ldc, sc,
                                      batch));
  }

  // Launched for rows / 64 + groups row tiles, a bound on the sum of ceil(rows_g / 64) that needs no offsets.
  void gemm_grouped(bool tb, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, long sb, T beta, T* C,
                    int ldc, const int* offsets, int groups, int rows) override {
    if (rows == 0 || N == 0 || groups == 0) return;
    const dim3 grid((rows + kGroupTile - 1) / kGroupTile + groups, (N + kGroupTile - 1) / kGroupTile);
    gemm_grouped_kernel<T><<<grid, kGroupThreads, 0, stream_>>>(tb, N, K, alpha, A, lda, B, ldb, sb, beta, C, ldc,
                                                                offsets, groups);
    KERNEL_CHECK();
  }
  void gemm_grouped_weights(int M, int N, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc,
                            long sc, const int* offsets, int groups, int rows) override {
    if (rows == 0 || M == 0 || N == 0 || groups == 0) return;
    const dim3 grid((N + kGroupTile - 1) / kGroupTile, (M + kGroupTile - 1) / kGroupTile, groups);
    gemm_grouped_weights_kernel<T><<<grid, kGroupThreads, 0, stream_>>>(M, N, alpha, A, lda, B, ldb, beta, C, ldc, sc,
                                                                        offsets);
    KERNEL_CHECK();
  }

  void add(T* y, const T* x, size_t n) override { launch(add_kernel<T>, n, y, x, n); }
  void scale(T* x, size_t n, T s) override { launch(scale_kernel<T>, n, x, n, s); }

  double sum_squares(const T* x, size_t n) override {
    if (capturing_) throw std::logic_error("cuda backend: sum_squares returns to the host and cannot be recorded");
    const int blocks = std::max(1, std::min(1024, blocks_for(n)));
    auto* partial = scratch<double>(kPartials, blocks);
    sum_squares_kernel<T><<<blocks, kThreads, 0, stream_>>>(partial, x, n);
    KERNEL_CHECK();
    std::vector<double> host(blocks);
    download(host.data(), partial, blocks * sizeof(double));
    return std::accumulate(host.begin(), host.end(), 0.0);  // in block order
  }
  void weighted_sum(double* out, const T* w, const T* x, int n) override {
    weighted_sum_kernel<T><<<1, kThreads, 0, stream_>>>(out, w, x, n);
    KERNEL_CHECK();
  }
  void clip_norm(T* x, size_t n, double max_norm, double* norm) override {
    const int blocks = std::max(1, std::min(1024, blocks_for(n)));
    auto* partial = scratch<double>(kPartials, blocks);
    sum_squares_kernel<T><<<blocks, kThreads, 0, stream_>>>(partial, x, n);
    KERNEL_CHECK();
    sum_partials_kernel<<<1, 1, 0, stream_>>>(norm, partial, blocks, true);
    KERNEL_CHECK();
    if (max_norm > 0 && n > 0) {
      clip_scale_kernel<T><<<blocks, kThreads, 0, stream_>>>(x, n, norm, max_norm);
      KERNEL_CHECK();
    }
  }

  void add_bias(T* y, const T* b, int rows, int cols) override {
    launch(add_bias_kernel<T>, size_t(rows) * cols, y, b, rows, cols);
  }
  void add_bias_grouped(T* y, const T* b, const int* offsets, int groups, int rows, int cols) override {
    if (rows == 0 || cols == 0 || groups == 0) return;
    launch(add_bias_grouped_kernel<T>, size_t(rows) * cols, y, b, offsets, groups, rows, cols);
  }
  void bias_backward_grouped(T* db, const T* dy, const int* offsets, int groups, int rows, int cols) override {
    if (rows == 0 || cols == 0 || groups == 0) return;
    bias_backward_grouped_kernel<T><<<groups, kThreads, 0, stream_>>>(db, dy, offsets, cols);
    KERNEL_CHECK();
  }
  void bias_backward(T* db, const T* dy, int rows, int cols) override {
    if (cols == 0) return;
    column_sum_kernel<T><<<cols, kThreads, 0, stream_>>>(db, dy, nullptr, nullptr, rows, cols, true);
    KERNEL_CHECK();
  }

  void embedding_forward(T* out, const int* tokens, const T* table, int n, int C) override {
    gather_rows(out, table, tokens, n, C);  // a lookup is a row gather
  }
  void embedding_backward(T* dtable, const T* dout, const int* tokens, int n, int C, int V) override {
    if (n == 0 || C == 0) return;
    int* offsets = scratch<int>(kSortOffsets, V + 1);
    int* positions = scratch<int>(kSortSources, n);
    counting_sort(offsets, nullptr, positions, tokens, n, 1, V);
    embedding_backward_kernel<T><<<dim3(V, blocks_for(C)), kThreads, 0, stream_>>>(dtable, dout, offsets, positions, C);
    KERNEL_CHECK();
  }

  void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) override {
    rows_launch(rmsnorm_forward_kernel<T>, n, out, rstd, x, w, n, C, eps);
  }
  void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n, int C) override {
    rows_launch(rmsnorm_backward_dx_kernel<T>, n, dx, dout, x, w, rstd, n, C);
    column_sum_kernel<T><<<C, kThreads, 0, stream_>>>(dw, dout, x, rstd, n, C, true);
    KERNEL_CHECK();
  }

  void rope(T* x, int rows, int T_, int hd, T base, int sign) override {
    const int half = hd / 2;
    if (rope_key_ != std::tuple(T_, hd, double(base))) {
      if (capturing_) throw std::logic_error("cuda backend: RoPE's table for a new shape cannot be made while recording");
      ++epoch_;
      // The same table as the CPU backend: angles in double, rounded to T.
      std::vector<T> c(size_t(T_) * half), s(size_t(T_) * half);
      for (int t = 0; t < T_; ++t)
        for (int d = 0; d < half; ++d) {
          const double angle = t * std::pow(double(base), -2.0 * d / hd);
          c[size_t(t) * half + d] = T(std::cos(angle));
          s[size_t(t) * half + d] = T(std::sin(angle));
        }
      rope_cos_ = scratch<T>(kRopeCos, c.size());
      rope_sin_ = scratch<T>(kRopeSin, s.size());
      upload(rope_cos_, c.data(), c.size() * sizeof(T));
      upload(rope_sin_, s.data(), s.size() * sizeof(T));
      rope_key_ = {T_, hd, double(base)};
    }
    launch(rope_kernel<T>, size_t(rows) * T_ * half, x, rope_cos_, rope_sin_, rows, T_, hd, T(sign));
  }

  void to_heads(T* dst, const T* src, int ld, int B, int T_, int H, int hd) override {
    launch(heads_kernel<T>, size_t(B) * H * T_ * hd, dst, const_cast<T*>(src), ld, B, T_, H, hd, true);
  }
  void from_heads(T* dst, int ld, const T* src, int B, int T_, int H, int hd) override {
    launch(heads_kernel<T>, size_t(B) * H * T_ * hd, const_cast<T*>(src), dst, ld, B, T_, H, hd, false);
  }

  void mask_tokens(T* scores, const int* tokens, int token, int B, int H, int N) override {
    launch(mask_tokens_kernel<T>, size_t(B) * H * N, scores, tokens, token, B, H, N);
  }
  void softmax_forward(T* x, int rows, int L, T scale, bool causal) override {
    rows_launch(softmax_forward_kernel<T>, rows, x, rows, L, scale, causal);
  }
  void softmax_backward(T* dx, const T* dy, const T* probs, int rows, int L, T scale, bool causal) override {
    rows_launch(softmax_backward_kernel<T>, rows, dx, dy, probs, rows, L, scale, causal);
  }

  bool fused_attention(int hd) const override {
    return hd >= 1 && hd <= 32 * kMaxLanesPerRow && attention_shared(hd, 2, 2) * sizeof(T) <= kDefaultShared;
  }
  void attention_forward(T* o, T* lse, const T* q, const T* k, const T* v, int BH, int T_, int hd, T scale,
                         bool causal) override {
    require_fused(BH, T_, hd);
    attention_launch<attention_forward_kernel<T, 1>, attention_forward_kernel<T, 2>, attention_forward_kernel<T, 3>,
                     attention_forward_kernel<T, 4>>(hd, BH, T_, attention_shared(hd, 1, 0), o, lse, q, k, v, T_, hd,
                                                     scale, causal);
  }
  void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* o, const T* lse, const T* q, const T* k,
                          const T* v, int BH, int T_, int hd, T scale, bool causal) override {
    require_fused(BH, T_, hd);
    T* D = scratch<T>(kAttentionDelta, size_t(BH) * T_);  // (BH,T) dout . o
    rows_launch(attention_delta_kernel<T>, BH * T_, D, dout, o, BH * T_, hd);
    attention_launch<attention_dq_kernel<T, 1>, attention_dq_kernel<T, 2>, attention_dq_kernel<T, 3>,
                     attention_dq_kernel<T, 4>>(hd, BH, T_, attention_shared(hd, 2, 0), dq, dout, lse, D, q, k, v,
                                                T_, hd, scale, causal);
    attention_launch<attention_dkv_kernel<T, 1>, attention_dkv_kernel<T, 2>, attention_dkv_kernel<T, 3>,
                     attention_dkv_kernel<T, 4>>(hd, BH, T_, attention_shared(hd, 2, 2), dk, dv, dout, lse, D, q, k,
                                                 v, T_, hd, scale, causal);
  }

  void swiglu_forward(T* g, const T* h, int n, int F) override { launch(swiglu_forward_kernel<T>, size_t(n) * F, g, h, n, F); }
  void swiglu_backward(T* dh, const T* dg, const T* h, int n, int F) override {
    launch(swiglu_backward_kernel<T>, size_t(n) * F, dh, dg, h, n, F);
  }
  void relu_forward(T* y, const T* x, size_t n) override { launch(relu_forward_kernel<T>, n, y, x, n); }
  void relu_backward(T* dx, const T* dy, const T* x, size_t n) override { launch(relu_backward_kernel<T>, n, dx, dy, x, n); }

  void cross_entropy(T* dlogits, T* loss, const T* logits, const int* targets, const T* weight, int n, int V) override {
    rows_launch(cross_entropy_kernel<T>, n, dlogits, loss, logits, targets, weight, n, V);
  }
  void logistic(T* dz, T* loss, const T* z, const T* y, T weight, int n) override {
    launch(logistic_kernel<T>, size_t(n), dz, loss, z, y, weight, n);
  }

  void router_forward(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k, Gate gate) override {
    launch(router_forward_kernel<T>, size_t(n), probs, experts, weights, logits, n, E, k, gate_id(gate));
  }
  void router_backward(T* dlogits, const T* dweights, const T* extra, const T* probs, const int* experts,
                       const T* weights, int n, int E, int k, Gate gate) override {
    launch(router_backward_kernel<T>, size_t(n), dlogits, dweights, extra, probs, experts, weights, n, E, k, gate_id(gate));
  }
  void moe_sort(int* offsets, int* rows, int* tokens, const int* experts, int n, int k, int E) override {
    counting_sort(offsets, rows, tokens, experts, n * k, k, E);
  }
  void gather_rows(T* dst, const T* src, const int* tokens, int m, int C) override {
    launch(gather_rows_kernel<T>, size_t(m) * C, dst, src, tokens, m, C);
  }
  void scatter_add_rows(T* dst, const T* src, const int* index, int m, int C) override {
    launch(scatter_add_rows_kernel<T>, size_t(m) * C, dst, src, index, m, C);
  }
  void gather_sum_rows(T* dst, const T* src, const int* rows, int n, int k, int C) override {
    launch(gather_sum_rows_kernel<T>, size_t(n) * C, dst, src, rows, n, k, C);
  }
  void combine_forward(T* out, const T* y, const T* weights, const int* rows, int n, int k, int C) override {
    launch(combine_forward_kernel<T>, size_t(n) * C, out, y, weights, rows, n, k, C);
  }
  void combine_backward(T* dy, T* dweights, const T* dout, const T* y, const T* weights, const int* rows, int n, int k,
                        int C) override {
    rows_launch(combine_backward_kernel<T>, n * k, dy, dweights, dout, y, weights, rows, n, k, C);
  }

  // Both stay on the device: the gradient's per-expert values and the loss are computed there, so an MoE
  // layer's forward pass waits for no download.
  void balance_loss(T* dprobs, double* loss, const T* probs, const int* offsets, int n, int E, int k,
                    T coef) override {
    T* sums = scratch<T>(kBalanceSums, E);
    column_sum_kernel<T><<<E, kThreads, 0, stream_>>>(sums, probs, nullptr, nullptr, n, E, false);
    KERNEL_CHECK();
    T* d_g = scratch<T>(kBalanceGrad, E);
    balance_terms_kernel<T><<<1, 1, 0, stream_>>>(d_g, loss, sums, offsets, n, E, k, double(coef));
    KERNEL_CHECK();
    launch(fill_columns_kernel<T>, size_t(n) * E, dprobs, d_g, n, E);
  }
  void z_loss(T* dlogits, double* loss, const T* logits, int n, int E, T coef) override {
    T* z = scratch<T>(kLogsumexp, n);
    rows_launch(z_loss_kernel<T>, n, dlogits, z, logits, n, E, coef);
    mean_square_kernel<T><<<1, kThreads, 0, stream_>>>(loss, z, n, double(coef));
    KERNEL_CHECK();
  }

  void adamw(T* p, const T* g, T* m, T* v, size_t n, const T* schedule, T b1, T b2, T eps, T wd) override {
    launch(adamw_kernel<T>, n, p, g, m, v, n, schedule, b1, b2, eps, wd);
  }

 private:
  // Stable sort of keys (m) in [0, E): offsets (E+1), rows (m, may be null) and sources (m) as moe_sort
  // defines them, with k slots per token.
  void counting_sort(int* offsets, int* rows, int* sources, const int* keys, int m, int k, int E) {
    int* counts = scratch<int>(kSortCounts, E);
    key_count_kernel<<<E, kThreads, 0, stream_>>>(counts, keys, m);
    KERNEL_CHECK();
    key_offsets_kernel<<<1, kThreads, 0, stream_>>>(offsets, counts, E);
    KERNEL_CHECK();
    if (m == 0) return;
    key_place_kernel<<<E, kThreads, 0, stream_>>>(rows, sources, offsets, keys, m, k);
    KERNEL_CHECK();
  }

  // Elements from a row-major operand's start to its last element: op(X) (rows, cols), stored (rows, cols)
  // with leading dimension ld, or (cols, rows) when transposed.
  static size_t span(bool transposed, int rows, int cols, int ld) {
    return transposed ? size_t(cols - 1) * ld + rows : size_t(rows - 1) * ld + cols;
  }
  // The `n` elements from x, rounded to bf16 into a scratch buffer at the same offsets (strides and leading
  // dimensions carry over unchanged).
  const __nv_bfloat16* to_bf16(int slot, const T* x, size_t n) {
    auto* out = scratch<__nv_bfloat16>(Slot(slot), n);
    launch(to_bf16_kernel<T>, n, out, x, n);
    return out;
  }

  static int gate_id(Gate g) { return g == Gate::Renormalized ? 0 : g == Gate::Probability ? 1 : 2; }

  template <class Kernel, class... Args>
  void launch(Kernel kernel, size_t n, Args... args) {
    if (n == 0) return;
    kernel<<<blocks_for(n), kThreads, 0, stream_>>>(args...);
    KERNEL_CHECK();
  }
  // One warp per row.
  template <class Kernel, class... Args>
  void rows_launch(Kernel kernel, int rows, Args... args) {
    if (rows == 0) return;
    kernel<<<(rows + kWarps - 1) / kWarps, kThreads, 0, stream_>>>(args...);
    KERNEL_CHECK();
  }
  static constexpr size_t kDefaultShared = 48 << 10;  // dynamic shared memory without an opt-in
  void require_fused(int BH, int T_, int hd) const {
    if (!fused_attention(hd) || BH < 1 || T_ < 1 || T_ > 65535 * kWarps || size_t(BH) * T_ > size_t(INT_MAX))
      throw std::invalid_argument("cuda backend: fused attention takes 1 <= hd <= 128 within 48 KiB of shared "
                                  "memory, 1 <= T <= 524280 and B*H*T < 2^31 (got hd " + std::to_string(hd) +
                                  ", T " + std::to_string(T_) + ", B*H " + std::to_string(BH) + ")");
  }
  // The fused kernels, instantiated for R = ceil(hd / 32) output columns per lane: grid (BH, row blocks).
  template <auto K1, auto K2, auto K3, auto K4, class... Args>
  void attention_launch(int hd, int BH, int T_, size_t shared, Args... args) {
    const dim3 grid(BH, (T_ + kWarps - 1) / kWarps);
    const size_t bytes = shared * sizeof(T);
    switch ((hd + 31) / 32) {
      case 1: K1<<<grid, kThreads, bytes, stream_>>>(args...); break;
      case 2: K2<<<grid, kThreads, bytes, stream_>>>(args...); break;
      case 3: K3<<<grid, kThreads, bytes, stream_>>>(args...); break;
      default: K4<<<grid, kThreads, bytes, stream_>>>(args...); break;
    }
    KERNEL_CHECK();
  }
  // Growable device scratch buffers, one per use.
  enum Slot { kPartials, kSortOffsets, kSortSources, kSortCounts, kRopeCos, kRopeSin, kBalanceSums, kBalanceGrad,
              kLogsumexp, kBf16A, kBf16B, kAttentionDelta };
  template <class U>
  U* scratch(Slot slot, size_t count) {
    auto& [p, bytes] = scratch_[slot];
    const size_t need = std::max<size_t>(count, 1) * sizeof(U);
    if (bytes < need) {
      if (capturing_) throw std::logic_error("cuda backend: a scratch buffer cannot grow while recording");
      ++epoch_;
      if (p) CUDA_CHECK(cudaFree(p));
      CUDA_CHECK(cudaMalloc(&p, need));
      bytes = need;
      if (slot == kRopeCos || slot == kRopeSin) rope_key_ = {-1, -1, 0.0};  // the table moved
    }
    return static_cast<U*>(p);
  }

  static constexpr size_t kCublasWorkspace = size_t(32) << 20;  // cuBLAS's advice for Hopper

  cublasHandle_t handle_ = nullptr;
  cudaStream_t stream_ = nullptr;  // every kernel, copy and cuBLAS call of this backend
  void* workspace_ = nullptr;      // cuBLAS's
  cudaGraphExec_t graph_ = nullptr;
  bool capturing_ = false;
  long epoch_ = 0;  // Backend::epoch
  bool bf16_;  // MatmulPrecision::Bf16
  std::map<Slot, std::pair<void*, size_t>> scratch_;
  std::tuple<int, int, double> rope_key_{-1, -1, 0.0};
  T *rope_cos_ = nullptr, *rope_sin_ = nullptr;
};

}  // namespace

template <class T>
std::unique_ptr<Backend<T>> cuda::new_backend(MatmulPrecision precision) {
  return std::make_unique<CudaBackend<T>>(precision);
}
template std::unique_ptr<Backend<float>> cuda::new_backend<float>(MatmulPrecision);
template std::unique_ptr<Backend<double>> cuda::new_backend<double>(MatmulPrecision);

}  // namespace moesim::models
