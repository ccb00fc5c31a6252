#pragma once
// The backend interface, after ggml: layers are written once against these primitive ops; the CPU backend
// (Eigen + OpenMP) and the CUDA backend (cuBLAS + kernels) each implement them. Pointers are the
// backend's own memory (host for the CPU, device for CUDA). Matrices are row-major.
//
// Conventions: parameter gradients accumulate (+=); activation gradients are written (=) unless an op
// says it accumulates. No op uses atomics in a reduction: the same inputs give the same bits.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace moesim::models {

// How top-k router weights are formed from the router's softmax probabilities p.
enum class Gate {
  Renormalized,  // w_j = p_{e_j} / sum of the chosen p   (Mixtral, the Transformer's MoE)
  Probability,   // w_j = p_{e_j}                          (Switch: the router learns through w)
  Hard,          // w_j = 1, no task gradient to the router (the theorems' argmax routing)
};

// The precision of a float backend's matrix products (gemm, gemm_batched): fp32 throughout, or inputs
// rounded to bf16 (8 significant bits) and multiplied on tensor cores with fp32 accumulation and output.
// Everything else (weights, optimizer moments, norms, softmax, losses, the grouped expert GEMMs) stays in the
// backend's type. The CPU backend and double backends compute in their type only.
enum class MatmulPrecision { Fp32, Bf16 };

template <class T>
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;

  // ---- memory -------------------------------------------------------------------------------------
  virtual void* alloc(size_t bytes) = 0;
  virtual void release(void* p) = 0;
  virtual void upload(void* dst, const void* host_src, size_t bytes) = 0;
  virtual void download(void* host_dst, const void* src, size_t bytes) = 0;
  virtual void copy(void* dst, const void* src, size_t bytes) = 0;
  virtual void zero(void* p, size_t bytes) = 0;
  // Host memory for transfers that a recorded graph replays (see below): it stays where it is, and on a GPU
  // it is pinned, so that a transfer from or to it can run inside a graph.
  virtual void* alloc_host(size_t bytes) { return ::operator new(std::max<size_t>(bytes, 1)); }
  virtual void release_host(void* p) { ::operator delete(p); }

  // ---- recorded graphs (CUDA graphs) ----------------------------------------------------------------
  // Between begin_capture() and end_capture() the ops are recorded, not run; replay() runs the recorded ops
  // again, in order, on the same memory, with the scalars they were given when recorded. So whatever must
  // change from one replay to the next lives in backend memory, and uploads and downloads inside a graph go
  // from and to alloc_host() memory, read and written when the graph runs. Inside a capture, transfers do not
  // wait and ops that return a value to the host are refused. A backend keeps one graph; a new capture
  // replaces it. synchronize() waits until what was enqueued has run (transfers outside a capture wait
  // already). A backend that cannot record says so, and then nothing here is called but synchronize().
  virtual bool can_capture() const { return false; }
  virtual void begin_capture() { throw std::logic_error(name() + " backend: cannot record graphs"); }
  virtual void end_capture() { throw std::logic_error(name() + " backend: cannot record graphs"); }
  virtual void replay() { throw std::logic_error(name() + " backend: cannot record graphs"); }
  virtual void synchronize() {}
  // Changes whenever the recorded graph may no longer replay as recorded: each new recording, and memory of
  // the backend's own that a graph uses moving (a scratch buffer grown, a cached table rebuilt).
  virtual long epoch() const { return 0; }

  // ---- linear algebra -----------------------------------------------------------------------------
  // C (M,N) = alpha * op(A) (M,K) * op(B) (K,N) + beta * C; op(X) = X^T when its flag is set.
  virtual void gemm(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                    int ldb, T beta, T* C, int ldc) = 0;
  // `batch` independent GEMMs; matrix i of A starts at A + i*stride_a, and so on.
  virtual void gemm_batched(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda,
                            long stride_a, const T* B, int ldb, long stride_b, T beta, T* C, int ldc,
                            long stride_c, int batch) = 0;
  // Grouped GEMMs over row blocks, one matrix per group (the MoE layer's experts): group g owns rows
  // offsets[g] .. offsets[g+1] of the row-stacked operands. `offsets` (groups+1) is the backend's memory and
  // is read where the backend computes (on the GPU, never on the host); `rows` = offsets[groups], which the
  // caller knows without reading them. A group without rows leaves its part of C as it was.
  //   gemm_grouped:         C_g (rows_g,N) = alpha * A_g (rows_g,K) * op(B_g) + beta * C_g,
  //                         B_g = B + g*stride_b, op(B_g) = B_g^T (B_g (N,K)) when tb, else B_g (K,N)
  //   gemm_grouped_weights: C_g (M,N) = alpha * A_g^T (M,rows_g) * B_g (rows_g,N) + beta * C_g,
  //                         C_g = C + g*stride_c (the weights' gradient: a reduction over the group's rows)
  virtual void gemm_grouped(bool tb, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb,
                            long stride_b, T beta, T* C, int ldc, const int* offsets, int groups, int rows) = 0;
  virtual void gemm_grouped_weights(int M, int N, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
                                    T* C, int ldc, long stride_c, const int* offsets, int groups, int rows) = 0;
  virtual void add(T* y, const T* x, size_t n) = 0;                // y += x
  virtual void scale(T* x, size_t n, T s) = 0;                     // x *= s
  virtual double sum_squares(const T* x, size_t n) = 0;            // sum of x_i^2 (fixed order)
  // Global-norm clipping without a host round trip: *norm (one double, backend memory) = sqrt(sum of x_i^2)
  // summed as sum_squares sums, then x *= max_norm / norm where max_norm > 0 and norm > max_norm.
  virtual void clip_norm(T* x, size_t n, double max_norm, double* norm) = 0;
  // *out (one double, backend memory) = sum_i w_i * x_i in double (w null: weights 1); the CPU sums in index
  // order.
  virtual void weighted_sum(double* out, const T* w, const T* x, int n) = 0;
  virtual void add_bias(T* y, const T* b, int rows, int cols) = 0;        // y (rows,cols) += b (cols,)
  virtual void bias_backward(T* db, const T* dy, int rows, int cols) = 0; // db += column sums of dy
  // The same per group of rows (offsets as gemm_grouped's, read where the backend computes): the rows of
  // group g add b_g = b + g*cols (add_bias_grouped), and db_g += their column sums (bias_backward_grouped).
  virtual void add_bias_grouped(T* y, const T* b, const int* offsets, int groups, int rows, int cols) = 0;
  virtual void bias_backward_grouped(T* db, const T* dy, const int* offsets, int groups, int rows, int cols) = 0;

  // ---- layers' pieces -----------------------------------------------------------------------------
  // out (n,C) = table[tokens] ; backward: dtable (V,C) [tokens[i]] += dout[i]
  virtual void embedding_forward(T* out, const int* tokens, const T* table, int n, int C) = 0;
  virtual void embedding_backward(T* dtable, const T* dout, const int* tokens, int n, int C, int V) = 0;
  // out = x / rms(x) * w per row, rstd (n,) saved; backward accumulates dx += ..., dw += ...
  virtual void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) = 0;
  virtual void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd,
                                int n, int C) = 0;
  // Rotary embedding on x (rows = B*H, T, hd), in place; sign = -1 rotates back (the backward pass).
  virtual void rope(T* x, int rows, int T_, int hd, T base, int sign) = 0;
  // dst (B,H,T,hd) <- head h of row (b,t) of src, which starts at src + (b*T+t)*ld + h*hd.
  virtual void to_heads(T* dst, const T* src, int ld, int B, int T_, int H, int hd) = 0;
  // The inverse: dst + (b*T+t)*ld + h*hd <- src (B,H,T,hd).
  virtual void from_heads(T* dst, int ld, const T* src, int B, int T_, int H, int hd) = 0;
  // scores (B,H,N) = -inf where tokens (B,N) == token: those positions drop out of the softmax that follows
  virtual void mask_tokens(T* scores, const int* tokens, int token, int B, int H, int N) = 0;
  // Row-wise softmax of scale*x over rows of length L, in place; `causal` masks column j > row % L
  // (rows are (batch, query i) with L = T). Backward writes dx from dy and the saved probabilities;
  // dx may alias dy.
  virtual void softmax_forward(T* x, int rows, int L, T scale, bool causal) = 0;
  virtual void softmax_backward(T* dx, const T* dy, const T* probs, int rows, int L, T scale,
                                bool causal) = 0;
  // Fused attention over heads q, k, v (BH,T,hd): o (BH,T,hd) = softmax(scale q k^T) v, `causal` masking
  // key j > query i, without the (T,T) scores in memory; lse (BH,T) keeps each query's log-sum-exp of its
  // scaled scores. The backward writes dq, dk, dv (BH,T,hd) from dout and the forward's o and lse.
  virtual void attention_forward(T* o, T* lse, const T* q, const T* k, const T* v, int BH, int T_, int hd,
                                 T scale, bool causal) = 0;
  virtual void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* o, const T* lse, const T* q,
                                  const T* k, const T* v, int BH, int T_, int hd, T scale, bool causal) = 0;
  // Whether models should use the fused ops above for heads of width hd rather than materialise the scores
  // (gemm_batched, softmax). The CUDA backend does; the CPU keeps the materialised path, the one its records
  // were computed with, and implements the fused ops as the reference the CUDA ones are tested against.
  virtual bool fused_attention(int /*hd*/) const { return false; }
  // g (n,F) = silu(h[:, :F]) * h[:, F:] for h (n,2F); backward writes dh (n,2F).
  virtual void swiglu_forward(T* g, const T* h, int n, int F) = 0;
  virtual void swiglu_backward(T* dh, const T* dg, const T* h, int n, int F) = 0;
  virtual void relu_forward(T* y, const T* x, size_t n) = 0;
  virtual void relu_backward(T* dx, const T* dy, const T* x, size_t n) = 0;

  // ---- losses ---------------------------------------------------------------------------------------
  // Softmax cross-entropy per row with a weight per row (0 = not in the loss): loss[i] = -log p[target]
  // (0 where weight is 0) and dlogits[i] = weight[i] * (p - onehot(target)).
  virtual void cross_entropy(T* dlogits, T* loss, const T* logits, const int* targets,
                             const T* weight, int n, int V) = 0;
  // Logistic loss of one logit per row with labels y in {-1, +1}: loss[i] = log(1 + exp(-y z)),
  // dz[i] = weight * d loss / dz.
  virtual void logistic(T* dz, T* loss, const T* z, const T* y, T weight, int n) = 0;

  // ---- mixture of experts -------------------------------------------------------------------------
  // probs (n,E) = softmax(logits); experts (n,k) = the top-k by probability (ties: lower index), in
  // decreasing order; weights (n,k) per `gate`.
  virtual void router_forward(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k,
                              Gate gate) = 0;
  // dlogits (n,E) = softmax backward of (d weights through `gate`) + dprobs_extra (may be null).
  virtual void router_backward(T* dlogits, const T* dweights, const T* dprobs_extra, const T* probs,
                               const int* experts, const T* weights, int n, int E, int k, Gate gate) = 0;
  // Counting sort of the n*k (token, slot) pairs by expert, stable: offsets (E+1) into the sorted
  // order, rows (n*k): for slot (t, j) the row of the sorted order it went to; tokens (n*k): for sorted
  // row r the token it came from.
  virtual void moe_sort(int* offsets, int* rows, int* tokens, const int* experts, int n, int k,
                        int E) = 0;
  // dst (n*k, C): row r = src[tokens[r]]
  virtual void gather_rows(T* dst, const T* src, const int* tokens, int m, int C) = 0;
  // dst[index[r]] += src[r] for r < m; the indices are distinct (each dst row is written once).
  virtual void scatter_add_rows(T* dst, const T* src, const int* index, int m, int C) = 0;
  // dst (n, C) += sum_j src[rows[t*k+j]]: the backward of gather_rows, as a deterministic gather.
  virtual void gather_sum_rows(T* dst, const T* src, const int* rows, int n, int k, int C) = 0;
  // out (n,C) += sum_j weights[t,j] * y[rows[t*k+j]]   (accumulates: out is the residual stream)
  virtual void combine_forward(T* out, const T* y, const T* weights, const int* rows, int n, int k,
                               int C) = 0;
  // dy[rows[t*k+j]] = weights[t,j] * dout[t] ; dweights[t,j] = <dout[t], y[rows[t*k+j]]>
  virtual void combine_backward(T* dy, T* dweights, const T* dout, const T* y, const T* weights,
                                const int* rows, int n, int k, int C) = 0;
  // Switch load balancing, normalised by k: loss = coef * E/k * sum_e f_e P_e with f_e = (tokens that
  // chose e among their top k) / n and P_e = mean router probability of e. Writes dprobs (n,E) (the
  // gradient through P; f is a count) and the loss to *loss (one double, backend memory: no host round trip).
  virtual void balance_loss(T* dprobs, double* loss, const T* probs, const int* offsets, int n, int E, int k,
                            T coef) = 0;
  // Router z-loss coef * mean_t logsumexp(logits_t)^2 to *loss (backend memory); accumulates dlogits += its
  // gradient.
  virtual void z_loss(T* dlogits, double* loss, const T* logits, int n, int E, T coef) = 0;

  // ---- optimizer ----------------------------------------------------------------------------------
  // AdamW with decoupled weight decay on n elements. What changes from step to step is read from backend
  // memory, so that a recorded step replays with the step's values: schedule (3,) = [lr, 1 - beta1^t,
  // 1 - beta2^t] for step t >= 1 (the bias corrections).
  virtual void adamw(T* param, const T* grad, T* m, T* v, size_t n, const T* schedule, T beta1, T beta2, T eps,
                     T weight_decay) = 0;
};

// A backend is used by one thread at a time (it may cache tables, such as RoPE's angles).
template <class T>
std::unique_ptr<Backend<T>> make_cpu_backend();

// The CUDA backend on the current GPU, made by the CUDA module (models/cuda_module.cpp). Throws
// std::runtime_error when moesim was built without CUDA, the module does not load, or no GPU is present
// (models/device_info.hpp tells beforehand), and std::invalid_argument for bf16 on a double backend or on a
// GPU without bf16 tensor cores (compute capability < 8.0). Changing this interface: see
// models/cuda/module_abi.hpp.
template <class T>
std::unique_ptr<Backend<T>> make_cuda_backend(MatmulPrecision precision = MatmulPrecision::Fp32);

}  // namespace moesim::models
