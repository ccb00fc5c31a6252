#pragma once
// A backend that runs every op on another one, for tests that need no GPU:
// - it counts the host round trips (uploads, downloads, and sum_squares, which returns a value to the host);
//   on a GPU each is a synchronisation, so a test can bound how many a training step makes;
// - it records graphs as the CUDA backend does (Backend::begin_capture): the ops are kept, not run, and
//   replay() runs them again with the arguments they were given. So a model whose recorded step would replay
//   a stale value on a GPU (a scalar passed by value, a host buffer that moved) replays it here too, and a
//   transfer inside a recording from or to memory that alloc_host() did not give is refused, as pageable
//   memory cannot take part in a CUDA graph.
#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

#include "models/backend.hpp"

namespace moesim::models {

template <class T>
class ProbeBackend : public Backend<T> {
 public:
  explicit ProbeBackend(Backend<T>& inner) : b_(inner) {}
  ~ProbeBackend() override {
    for (auto& [p, bytes] : host_) ::operator delete(const_cast<char*>(p));
  }
  int uploads = 0, downloads = 0;  // as they run (a replay counts its transfers again); sum_squares counts as a download
  bool refuse_recording = false;   // every op refused while recording: a step that cannot be recorded
  bool force_fused_attention = false;  // models take the fused attention ops, as on the GPU
  int fused_attention_calls = 0;       // attention_forward, as it runs
  int recorded_ops() const { return int(graph_.size()); }

  std::string name() const override { return b_.name(); }
  // Allocation is no op a graph can hold (cudaMalloc is refused while capturing).
  void* alloc(size_t bytes) override {
    refuse_while_recording("alloc");
    return b_.alloc(bytes);
  }
  void release(void* p) override {
    refuse_while_recording("release");
    b_.release(p);
  }
  void* alloc_host(size_t bytes) override {
    char* p = static_cast<char*>(::operator new(std::max<size_t>(bytes, 1)));
    host_[p] = bytes;
    return p;
  }
  void release_host(void* p) override {
    host_.erase(static_cast<const char*>(p));
    ::operator delete(p);
  }
  void upload(void* dst, const void* src, size_t bytes) override {
    check_host(src, bytes, "upload");
    run([=, this] { ++uploads, b_.upload(dst, src, bytes); });
  }
  void download(void* dst, const void* src, size_t bytes) override {
    check_host(dst, bytes, "download");
    run([=, this] { ++downloads, b_.download(dst, src, bytes); });
  }
  void copy(void* dst, const void* src, size_t bytes) override { run([=, this] { b_.copy(dst, src, bytes); }); }
  void zero(void* p, size_t bytes) override { run([=, this] { b_.zero(p, bytes); }); }
  void gemm(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C,
            int ldc) override {
    run([=, this] { b_.gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); });
  }
  void gemm_batched(bool ta, bool tb, int M, int N, int K, T alpha, const T* A, int lda, long sa, const T* B, int ldb,
                    long sb, T beta, T* C, int ldc, long sc, int batch) override {
    run([=, this] { b_.gemm_batched(ta, tb, M, N, K, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch); });
  }
  void gemm_grouped(bool tb, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, long sb, T beta, T* C,
                    int ldc, const int* offsets, int groups, int rows) override {
    run([=, this] { b_.gemm_grouped(tb, N, K, alpha, A, lda, B, ldb, sb, beta, C, ldc, offsets, groups, rows); });
  }
  void gemm_grouped_weights(int M, int N, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc,
                            long sc, const int* offsets, int groups, int rows) override {
    run([=, this] { b_.gemm_grouped_weights(M, N, alpha, A, lda, B, ldb, beta, C, ldc, sc, offsets, groups, rows); });
  }
  void add(T* y, const T* x, size_t n) override { run([=, this] { b_.add(y, x, n); }); }
  void scale(T* x, size_t n, T s) override { run([=, this] { b_.scale(x, n, s); }); }
  double sum_squares(const T* x, size_t n) override {
    if (capturing_) throw std::logic_error("probe backend: sum_squares returns to the host and cannot be recorded");
    return ++downloads, b_.sum_squares(x, n);
  }
  void clip_norm(T* x, size_t n, double max_norm, double* norm) override { run([=, this] { b_.clip_norm(x, n, max_norm, norm); }); }
  void weighted_sum(double* out, const T* w, const T* x, int n) override { run([=, this] { b_.weighted_sum(out, w, x, n); }); }
  void add_bias(T* y, const T* b, int rows, int cols) override { run([=, this] { b_.add_bias(y, b, rows, cols); }); }
  void bias_backward(T* db, const T* dy, int rows, int cols) override { run([=, this] { b_.bias_backward(db, dy, rows, cols); }); }
  void add_bias_grouped(T* y, const T* b, const int* offsets, int groups, int rows, int cols) override {
    run([=, this] { b_.add_bias_grouped(y, b, offsets, groups, rows, cols); });
  }
  void bias_backward_grouped(T* db, const T* dy, const int* offsets, int groups, int rows, int cols) override {
    run([=, this] { b_.bias_backward_grouped(db, dy, offsets, groups, rows, cols); });
  }
  void embedding_forward(T* out, const int* tokens, const T* table, int n, int C) override {
    run([=, this] { b_.embedding_forward(out, tokens, table, n, C); });
  }
  void embedding_backward(T* dtable, const T* dout, const int* tokens, int n, int C, int V) override {
    run([=, this] { b_.embedding_backward(dtable, dout, tokens, n, C, V); });
  }
  void rmsnorm_forward(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) override {
    run([=, this] { b_.rmsnorm_forward(out, rstd, x, w, n, C, eps); });
  }
  void rmsnorm_backward(T* dx, T* dw, const T* dout, const T* x, const T* w, const T* rstd, int n, int C) override {
    run([=, this] { b_.rmsnorm_backward(dx, dw, dout, x, w, rstd, n, C); });
  }
  void rope(T* x, int rows, int T_, int hd, T base, int sign) override { run([=, this] { b_.rope(x, rows, T_, hd, base, sign); }); }
  void to_heads(T* dst, const T* src, int ld, int B, int T_, int H, int hd) override {
    run([=, this] { b_.to_heads(dst, src, ld, B, T_, H, hd); });
  }
  void from_heads(T* dst, int ld, const T* src, int B, int T_, int H, int hd) override {
    run([=, this] { b_.from_heads(dst, ld, src, B, T_, H, hd); });
  }
  void mask_tokens(T* scores, const int* tokens, int token, int B, int H, int N) override {
    run([=, this] { b_.mask_tokens(scores, tokens, token, B, H, N); });
  }
  void softmax_forward(T* x, int rows, int L, T scale, bool causal) override {
    run([=, this] { b_.softmax_forward(x, rows, L, scale, causal); });
  }
  void softmax_backward(T* dx, const T* dy, const T* probs, int rows, int L, T scale, bool causal) override {
    run([=, this] { b_.softmax_backward(dx, dy, probs, rows, L, scale, causal); });
  }
  void attention_forward(T* o, T* lse, const T* q, const T* k, const T* v, int BH, int T_, int hd, T scale,
                         bool causal) override {
    run([=, this] { ++fused_attention_calls, b_.attention_forward(o, lse, q, k, v, BH, T_, hd, scale, causal); });
  }
  void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* o, const T* lse, const T* q, const T* k,
                          const T* v, int BH, int T_, int hd, T scale, bool causal) override {
    run([=, this] { b_.attention_backward(dq, dk, dv, dout, o, lse, q, k, v, BH, T_, hd, scale, causal); });
  }
  bool fused_attention(int hd) const override { return force_fused_attention || b_.fused_attention(hd); }
  void swiglu_forward(T* g, const T* h, int n, int F) override { run([=, this] { b_.swiglu_forward(g, h, n, F); }); }
  void swiglu_backward(T* dh, const T* dg, const T* h, int n, int F) override { run([=, this] { b_.swiglu_backward(dh, dg, h, n, F); }); }
  void relu_forward(T* y, const T* x, size_t n) override { run([=, this] { b_.relu_forward(y, x, n); }); }
  void relu_backward(T* dx, const T* dy, const T* x, size_t n) override { run([=, this] { b_.relu_backward(dx, dy, x, n); }); }
  void cross_entropy(T* dlogits, T* loss, const T* logits, const int* targets, const T* weight, int n,
                     int V) override {
    run([=, this] { b_.cross_entropy(dlogits, loss, logits, targets, weight, n, V); });
  }
  void logistic(T* dz, T* loss, const T* z, const T* y, T weight, int n) override {
    run([=, this] { b_.logistic(dz, loss, z, y, weight, n); });
  }
  void router_forward(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k, Gate gate) override {
    run([=, this] { b_.router_forward(probs, experts, weights, logits, n, E, k, gate); });
  }
  void router_backward(T* dlogits, const T* dweights, const T* dprobs_extra, const T* probs, const int* experts,
                       const T* weights, int n, int E, int k, Gate gate) override {
    run([=, this] { b_.router_backward(dlogits, dweights, dprobs_extra, probs, experts, weights, n, E, k, gate); });
  }
  void moe_sort(int* offsets, int* rows, int* tokens, const int* experts, int n, int k, int E) override {
    run([=, this] { b_.moe_sort(offsets, rows, tokens, experts, n, k, E); });
  }
  void gather_rows(T* dst, const T* src, const int* tokens, int m, int C) override {
    run([=, this] { b_.gather_rows(dst, src, tokens, m, C); });
  }
  void scatter_add_rows(T* dst, const T* src, const int* index, int m, int C) override {
    run([=, this] { b_.scatter_add_rows(dst, src, index, m, C); });
  }
  void gather_sum_rows(T* dst, const T* src, const int* rows, int n, int k, int C) override {
    run([=, this] { b_.gather_sum_rows(dst, src, rows, n, k, C); });
  }
  void combine_forward(T* out, const T* y, const T* weights, const int* rows, int n, int k, int C) override {
    run([=, this] { b_.combine_forward(out, y, weights, rows, n, k, C); });
  }
  void combine_backward(T* dy, T* dweights, const T* dout, const T* y, const T* weights, const int* rows, int n, int k,
                        int C) override {
    run([=, this] { b_.combine_backward(dy, dweights, dout, y, weights, rows, n, k, C); });
  }
  void balance_loss(T* dprobs, double* loss, const T* probs, const int* offsets, int n, int E, int k,
                    T coef) override {
    run([=, this] { b_.balance_loss(dprobs, loss, probs, offsets, n, E, k, coef); });
  }
  void z_loss(T* dlogits, double* loss, const T* logits, int n, int E, T coef) override {
    run([=, this] { b_.z_loss(dlogits, loss, logits, n, E, coef); });
  }
  void adamw(T* param, const T* grad, T* m, T* v, size_t n, const T* schedule, T beta1, T beta2, T eps,
             T weight_decay) override {
    run([=, this] { b_.adamw(param, grad, m, v, n, schedule, beta1, beta2, eps, weight_decay); });
  }

  bool can_capture() const override { return true; }
  void begin_capture() override {
    if (capturing_) throw std::logic_error("probe backend: begin_capture() while a capture is under way");
    capturing_ = true;
    recording_.clear();
  }
  void end_capture() override {
    capturing_ = false;
    ++epoch_;
    graph_ = std::move(recording_);
    recording_.clear();
  }
  long epoch() const override { return epoch_; }
  void replay() override {
    if (graph_.empty()) throw std::logic_error("probe backend: replay() without a recorded graph");
    for (const auto& op : graph_) op();
  }

 private:
  // Runs `op` now, or keeps it for replay() while a capture is under way.
  template <class Op>
  void run(Op op) {
    if (capturing_ && refuse_recording) throw std::logic_error("probe backend: recording refused (a test)");
    if (capturing_) {
      recording_.emplace_back(std::move(op));
    } else {
      op();
    }
  }
  void refuse_while_recording(const char* what) const {
    if (capturing_) throw std::logic_error(std::string("probe backend: ") + what + " while recording");
  }
  // Inside a recording, host memory of a transfer must come from alloc_host() (pinned on a GPU).
  void check_host(const void* p, size_t bytes, const char* what) const {
    if (!capturing_) return;
    const char* c = static_cast<const char*>(p);
    auto it = host_.upper_bound(c);
    if (it != host_.begin()) {
      --it;
      if (c + bytes <= it->first + it->second) return;
    }
    throw std::logic_error(std::string("probe backend: a recorded ") + what +
                           " uses host memory that alloc_host() did not give");
  }

  Backend<T>& b_;
  bool capturing_ = false;
  long epoch_ = 0;
  std::vector<std::function<void()>> recording_, graph_;
  std::map<const char*, size_t> host_;  // alloc_host() blocks: start -> bytes
};

}  // namespace moesim::models
