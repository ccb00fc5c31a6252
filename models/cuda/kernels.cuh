#pragma once
// The CUDA backend's kernels. Reductions run in a fixed order (per-thread strided loops, then a fixed
// shuffle or shared-memory tree): no atomics, so the same inputs give the same bits.
#include <cuda_runtime.h>

namespace moesim::models::cuda {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

inline int blocks_for(size_t n, int threads = kThreads) { return int((n + threads - 1) / threads); }

template <class T>
__device__ T warp_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  return v;
}
template <class T>
__device__ T warp_max(T v) {
  for (int o = 16; o > 0; o >>= 1) v = max(v, __shfl_xor_sync(0xffffffff, v, o));
  return v;
}
// Sum over a block of kThreads threads; every thread gets the result.
template <class T>
__device__ T block_sum(T v) {
  __shared__ T partial[kWarps];
  v = warp_sum(v);
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = v;
  __syncthreads();
  T total = 0;
  for (int w = 0; w < kWarps; ++w) total += partial[w];
  __syncthreads();
  return total;
}

template <class T> __device__ T dev_exp(T x);
template <> __device__ inline float dev_exp(float x) { return expf(x); }
template <> __device__ inline double dev_exp(double x) { return exp(x); }
template <class T> __device__ T dev_log(T x);
template <> __device__ inline float dev_log(float x) { return logf(x); }
template <> __device__ inline double dev_log(double x) { return log(x); }
template <class T> __device__ T dev_log1p(T x);
template <> __device__ inline float dev_log1p(float x) { return log1pf(x); }
template <> __device__ inline double dev_log1p(double x) { return log1p(x); }
template <class T> __device__ T dev_sqrt(T x);
template <> __device__ inline float dev_sqrt(float x) { return sqrtf(x); }
template <> __device__ inline double dev_sqrt(double x) { return sqrt(x); }

// log sum_j exp(x_j) over a row of length L, by the 32 lanes of a warp; every lane gets it.
template <class T>
__device__ T warp_logsumexp(const T* x, int L, int lane) {
  T mx = -INFINITY;
  for (int j = lane; j < L; j += 32) mx = max(mx, x[j]);
  mx = warp_max(mx);
  T sum = 0;
  for (int j = lane; j < L; j += 32) sum += dev_exp(x[j] - mx);
  return mx + dev_log(warp_sum(sum));
}

// ---- elementwise --------------------------------------------------------------------------------
template <class T>
__global__ void add_kernel(T* y, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) y[i] += x[i];
}
template <class T>
__global__ void scale_kernel(T* x, size_t n, T s) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) x[i] *= s;
}
template <class T>
__global__ void sum_squares_kernel(double* partial, const T* x, size_t n) {
  double s = 0;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x)
    s += double(x[i]) * double(x[i]);
  s = block_sum(s);
  if (threadIdx.x == 0) partial[blockIdx.x] = s;
}
template <class T>
__global__ void add_bias_kernel(T* y, const T* b, int rows, int cols) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(rows) * cols) y[i] += b[i % cols];
}
// One block per column: out[c] += scale-free column sum of a (rows, cols) (times b[r] * x[r,c] if given).
template <class T>
__global__ void column_sum_kernel(T* out, const T* a, const T* x, const T* row_scale, int rows, int cols,
                                  bool accumulate) {
  const int c = blockIdx.x;
  T s = 0;
  for (int r = threadIdx.x; r < rows; r += blockDim.x) {
    T v = a[size_t(r) * cols + c];
    if (x) v *= x[size_t(r) * cols + c];
    if (row_scale) v *= row_scale[r];
    s += v;
  }
  s = block_sum(s);
  if (threadIdx.x == 0) out[c] = accumulate ? out[c] + s : s;
}
template <class T>
__global__ void swiglu_forward_kernel(T* g, const T* h, int n, int F) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * F) return;
  const size_t r = i / F, f = i % F;
  const T a = h[r * 2 * F + f], b = h[r * 2 * F + F + f];
  g[i] = a / (T(1) + dev_exp(-a)) * b;
}
template <class T>
__global__ void swiglu_backward_kernel(T* dh, const T* dg, const T* h, int n, int F) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * F) return;
  const size_t r = i / F, f = i % F;
  const T a = h[r * 2 * F + f], b = h[r * 2 * F + F + f];
  const T s = T(1) / (T(1) + dev_exp(-a));
  dh[r * 2 * F + f] = dg[i] * b * s * (T(1) + a * (T(1) - s));
  dh[r * 2 * F + F + f] = dg[i] * a * s;
}
template <class T>
__global__ void relu_forward_kernel(T* y, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) y[i] = x[i] <= T(0) ? T(0) : x[i];  // NaN passes through, as divergence detection needs
}
template <class T>
__global__ void relu_backward_kernel(T* dx, const T* dy, const T* x, size_t n) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < n) dx[i] = x[i] > T(0) ? dy[i] : T(0);
}
template <class T>
__global__ void adamw_kernel(T* p, const T* g, T* m, T* v, size_t n, T lr, T b1, T b2, T eps, T wd, T c1, T c2) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  m[i] = b1 * m[i] + (T(1) - b1) * g[i];
  v[i] = b2 * v[i] + (T(1) - b2) * g[i] * g[i];
  const T mhat = m[i] / c1, vhat = v[i] / c2;
  p[i] -= lr * (mhat / (dev_sqrt(vhat) + eps) + wd * p[i]);
}
template <class T>
__global__ void logistic_kernel(T* dz, T* loss, const T* z, const T* y, T weight, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T m = -y[i] * z[i];
  loss[i] = m > 0 ? m + dev_log1p(dev_exp(-m)) : dev_log1p(dev_exp(m));
  dz[i] = weight * -y[i] / (T(1) + dev_exp(-m));
}

// ---- rows ------------------------------------------------------------------------------------------
// Runs of equal tokens (positions sorted by token, in order): thread (run, c) sums its run.
template <class T>
__global__ void embedding_backward_kernel(T* dtable, const T* dout, const int* order, const int* run_start,
                                          const int* run_token, int runs, int C) {
  const int r = blockIdx.y, c = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= runs || c >= C) return;
  T s = 0;
  for (int i = run_start[r]; i < run_start[r + 1]; ++i) s += dout[size_t(order[i]) * C + c];
  dtable[size_t(run_token[r]) * C + c] += s;
}
// One warp per row.
template <class T>
__global__ void rmsnorm_forward_kernel(T* out, T* rstd, const T* x, const T* w, int n, int C, T eps) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* xi = x + size_t(row) * C;
  T ss = 0;
  for (int c = lane; c < C; c += 32) ss += xi[c] * xi[c];
  ss = warp_sum(ss);
  const T r = T(1) / dev_sqrt(ss / C + eps);
  if (lane == 0) rstd[row] = r;
  for (int c = lane; c < C; c += 32) out[size_t(row) * C + c] = xi[c] * r * w[c];
}
template <class T>
__global__ void rmsnorm_backward_dx_kernel(T* dx, const T* dout, const T* x, const T* w, const T* rstd, int n, int C) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* xi = x + size_t(row) * C;
  const T* gi = dout + size_t(row) * C;
  const T r = rstd[row];
  T dot = 0;
  for (int c = lane; c < C; c += 32) dot += w[c] * gi[c] * xi[c];
  dot = warp_sum(dot);
  for (int c = lane; c < C; c += 32) dx[size_t(row) * C + c] += r * (w[c] * gi[c] - xi[c] * r * r * dot / C);
}
template <class T>
__global__ void rope_kernel(T* x, const T* cos_t, const T* sin_t, int rows, int T_, int hd, T sign) {
  const int half = hd / 2;
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(rows) * T_ * half) return;
  const int d = int(i % half);
  const size_t rt = i / half;  // (row, t)
  const int t = int(rt % T_);
  T* v = x + rt * hd;
  const T c = cos_t[size_t(t) * half + d], s = sign * sin_t[size_t(t) * half + d];
  const T a = v[2 * d], b = v[2 * d + 1];
  v[2 * d] = a * c - b * s;
  v[2 * d + 1] = a * s + b * c;
}
// dst (B,H,T,hd) <-> rows of ld; `to` selects the direction.
template <class T>
__global__ void heads_kernel(T* heads, T* seq, int ld, int B, int T_, int H, int hd, bool to) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(B) * H * T_ * hd) return;
  const int d = int(i % hd);
  const int t = int(i / hd % T_);
  const int h = int(i / (size_t(hd) * T_) % H);
  const int b = int(i / (size_t(hd) * T_ * H));
  T* s = seq + (size_t(b) * T_ + t) * ld + size_t(h) * hd + d;
  if (to) heads[i] = *s; else *s = heads[i];
}
template <class T>
__global__ void softmax_forward_kernel(T* x, int rows, int L, T scale, bool causal) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  T* v = x + size_t(row) * L;
  const int valid = causal ? row % L + 1 : L;
  T mx = -INFINITY;
  for (int j = lane; j < valid; j += 32) mx = max(mx, scale * v[j]);
  mx = warp_max(mx);
  T sum = 0;
  for (int j = lane; j < valid; j += 32) sum += dev_exp(scale * v[j] - mx);
  sum = warp_sum(sum);
  for (int j = lane; j < L; j += 32) v[j] = j < valid ? dev_exp(scale * v[j] - mx) / sum : T(0);
}
template <class T>
__global__ void softmax_backward_kernel(T* dx, const T* dy, const T* p, int rows, int L, T scale, bool causal) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const size_t o = size_t(row) * L;
  const int valid = causal ? row % L + 1 : L;
  T dot = 0;
  for (int j = lane; j < valid; j += 32) dot += p[o + j] * dy[o + j];
  dot = warp_sum(dot);
  for (int j = lane; j < L; j += 32) dx[o + j] = j < valid ? scale * p[o + j] * (dy[o + j] - dot) : T(0);
}
template <class T>
__global__ void cross_entropy_kernel(T* d, T* loss, const T* z, const int* targets, const T* weight, int n, int V) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* zi = z + size_t(row) * V;
  const T lse = warp_logsumexp(zi, V, lane), w = weight[row];
  const int tgt = targets[row];
  if (lane == 0) loss[row] = w != T(0) ? lse - zi[tgt] : T(0);
  for (int v = lane; v < V; v += 32) d[size_t(row) * V + v] = w * (dev_exp(zi[v] - lse) - (v == tgt ? T(1) : T(0)));
}

// ---- mixture of experts --------------------------------------------------------------------------
template <class T>
__global__ void router_forward_kernel(T* probs, int* experts, T* weights, const T* logits, int n, int E, int k,
                                      int gate) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T* z = logits + size_t(i) * E;
  T* p = probs + size_t(i) * E;
  T mx = z[0];
  for (int e = 1; e < E; ++e) mx = max(mx, z[e]);
  T sum = 0;
  for (int e = 0; e < E; ++e) sum += (p[e] = dev_exp(z[e] - mx));
  for (int e = 0; e < E; ++e) p[e] /= sum;
  int* ex = experts + size_t(i) * k;
  T chosen = 0;
  for (int j = 0; j < k; ++j) {
    int best = -1;
    for (int e = 0; e < E; ++e) {
      bool taken = false;
      for (int l = 0; l < j; ++l) taken |= ex[l] == e;
      if (!taken && (best < 0 || p[e] > p[best])) best = e;
    }
    ex[j] = best;
    chosen += p[best];
  }
  for (int j = 0; j < k; ++j)  // gate: 0 renormalised, 1 probability, 2 hard
    weights[size_t(i) * k + j] = gate == 2 ? T(1) : gate == 1 ? p[ex[j]] : p[ex[j]] / chosen;
}
template <class T>
__global__ void router_backward_kernel(T* dlogits, const T* dweights, const T* extra, const T* probs,
                                       const int* experts, const T* weights, int n, int E, int k, int gate) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const T* p = probs + size_t(i) * E;
  const T* dw = dweights + size_t(i) * k;
  const T* w = weights + size_t(i) * k;
  const int* ex = experts + size_t(i) * k;
  T chosen = 0, dotw = 0;
  for (int j = 0; j < k; ++j) chosen += p[ex[j]], dotw += dw[j] * w[j];
  auto dp = [&](int e) {
    T g = extra ? extra[size_t(i) * E + e] : T(0);
    for (int j = 0; j < k; ++j)
      if (ex[j] == e) g += gate == 1 ? dw[j] : gate == 0 ? (dw[j] - dotw) / chosen : T(0);
    return g;
  };
  T dot = 0;
  for (int e = 0; e < E; ++e) dot += p[e] * dp(e);
  for (int e = 0; e < E; ++e) dlogits[size_t(i) * E + e] = p[e] * (dp(e) - dot);
}
template <class T>
__global__ void gather_rows_kernel(T* dst, const T* src, const int* index, int m, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(m) * C) dst[i] = src[size_t(index[i / C]) * C + i % C];
}
template <class T>
__global__ void scatter_add_rows_kernel(T* dst, const T* src, const int* index, int m, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(m) * C) dst[size_t(index[i / C]) * C + i % C] += src[i];
}
template <class T>
__global__ void gather_sum_rows_kernel(T* dst, const T* src, const int* rows, int n, int k, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * C) return;
  const size_t t = i / C, c = i % C;
  T s = 0;
  for (int j = 0; j < k; ++j) s += src[size_t(rows[t * k + j]) * C + c];
  dst[i] += s;
}
template <class T>
__global__ void combine_forward_kernel(T* out, const T* y, const T* weights, const int* rows, int n, int k, int C) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(n) * C) return;
  const size_t t = i / C, c = i % C;
  T s = out[i];
  for (int j = 0; j < k; ++j) s += weights[t * k + j] * y[size_t(rows[t * k + j]) * C + c];
  out[i] = s;
}
// One warp per slot (t, j).
template <class T>
__global__ void combine_backward_kernel(T* dy, T* dweights, const T* dout, const T* y, const T* weights,
                                        const int* rows, int n, int k, int C) {
  const int slot = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (slot >= n * k) return;
  const size_t t = slot / k, r = rows[slot];
  const T w = weights[slot];
  T dot = 0;
  for (int c = lane; c < C; c += 32) {
    const T g = dout[t * C + c];
    dy[r * C + c] = w * g;
    dot += g * y[r * C + c];
  }
  dot = warp_sum(dot);
  if (lane == 0) dweights[slot] = dot;
}
template <class T>
__global__ void fill_columns_kernel(T* out, const T* values, int n, int E) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i < size_t(n) * E) out[i] = values[i % E];
}
// One warp per row: z[i] = logsumexp(logits_i); dlogits += coef * 2 z / n * softmax.
template <class T>
__global__ void z_loss_kernel(T* dlogits, T* z, const T* logits, int n, int E, T coef) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= n) return;
  const T* l = logits + size_t(row) * E;
  const T lse = warp_logsumexp(l, E, lane);
  if (lane == 0) z[row] = lse;
  for (int e = lane; e < E; e += 32) dlogits[size_t(row) * E + e] += coef * 2 * lse / n * dev_exp(l[e] - lse);
}

}  // namespace moesim::models::cuda
