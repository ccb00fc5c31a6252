#pragma once
// Attention's pieces besides the GEMMs: rotary embedding, the head layout, and the row softmax.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

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
// scores (B,H,N) = -inf where tokens (B,N) == token; one thread per score
template <class T>
__global__ void mask_tokens_kernel(T* scores, const int* tokens, int token, int B, int H, int N) {
  const size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x;
  if (i >= size_t(B) * H * N) return;
  const size_t b = i / (size_t(H) * N), pos = i % N;
  if (tokens[b * N + pos] == token) scores[i] = -INFINITY;
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
  for (int j = lane; j < valid; j += 32) sum += exp(scale * v[j] - mx);
  sum = warp_sum(sum);
  for (int j = lane; j < L; j += 32) v[j] = j < valid ? exp(scale * v[j] - mx) / sum : T(0);
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

}  // namespace moesim::models::cuda
