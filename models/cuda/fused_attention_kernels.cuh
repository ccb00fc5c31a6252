#pragma once
// Fused attention (FlashAttention-2's schedule on CUDA cores): the (T,T) scores never reach device memory.
// Heads are (BH,T,hd) row-major, hd <= 32 * kMaxLanesPerRow. Grid (BH, row blocks); a block's kWarps warps
// take one row each (a query in the forward and dq, a key in dk/dv), and the rows of the other side pass
// through shared memory in tiles of 32, lane j holding tile row j's score. Every output element is summed
// by one thread in a fixed order: no atomics, the same bits run to run.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

constexpr int kAttnTile = 32;         // rows of the other side per shared-memory tile: one per lane
constexpr int kMaxLanesPerRow = 4;    // hd <= 128: a lane holds output columns lane, lane + 32, ...

// A tile's row stride: odd, so that the 32 lanes reading one column of 32 rows hit distinct banks.
__host__ __device__ inline int tile_ld(int hd) { return hd | 1; }
// Shared memory of each kernel, in elements: the block's own rows (kWarps, hd), unpadded as every lane reads
// the same element, two tiles (kAttnTile, tile_ld), then the tile's per-row scalars (lse, D) for dk/dv.
inline size_t attention_shared(int hd, int own_rows_per_warp, int tile_scalars) {
  return size_t(own_rows_per_warp) * kWarps * hd + size_t(2) * kAttnTile * tile_ld(hd) +
         size_t(tile_scalars) * kAttnTile;
}

// Copies rows [r0, r0 + 32) of x (T_, hd) into a padded tile, zeros past T_.
template <class T>
__device__ void load_tile(T* tile, const T* x, int r0, int T_, int hd) {
  for (int e = threadIdx.x; e < kAttnTile * hd; e += blockDim.x) {
    const int r = e / hd, c = e % hd;
    tile[r * tile_ld(hd) + c] = r0 + r < T_ ? x[size_t(r0 + r) * hd + c] : T(0);
  }
}
// a (hd,) . tile row r
template <class T>
__device__ T tile_dot(const T* a, const T* tile, int r, int hd) {
  T s = 0;
  const T* row = tile + r * tile_ld(hd);
  for (int c = 0; c < hd; ++c) s += a[c] * row[c];
  return s;
}
// acc[u] (column lane + 32u) += sum over tile rows r of w_r * tile[r][column], w_r held by lane r.
template <class T, int R>
__device__ void add_tile_rows(T (&acc)[R], T w, const T* tile, int hd, int lane) {
  for (int r = 0; r < kAttnTile; ++r) {
    const T wr = __shfl_sync(0xffffffff, w, r);
#pragma unroll
    for (int u = 0; u < R; ++u)
      if (lane + 32 * u < hd) acc[u] += wr * tile[r * tile_ld(hd) + lane + 32 * u];
  }
}

// The warp's own row r of x (T_, hd) into row `warp` of dst (kWarps, hd).
template <class T>
__device__ void load_own_row(T* dst, const T* x, int r, int hd, int warp, int lane) {
  for (int c = lane; c < hd; c += 32) dst[warp * hd + c] = x[size_t(r) * hd + c];
}
// Row r of out (T_, hd) = factor * acc, column lane + 32u from acc[u].
template <class T, int R>
__device__ void store_row(T* out, const T (&acc)[R], T factor, int r, int hd, int lane) {
#pragma unroll
  for (int u = 0; u < R; ++u)
    if (lane + 32 * u < hd) out[size_t(r) * hd + lane + 32 * u] = factor * acc[u];
}

// o, lse from q, k, v: an online softmax over key tiles (running max mx, running sum l, output rescaled by
// exp(old max - new max)). Causal blocks skip the key tiles past their last query.
template <class T, int R>
__global__ void attention_forward_kernel(T* o, T* lse, const T* q, const T* k, const T* v, int T_, int hd,
                                         T scale, bool causal) {
  extern __shared__ __align__(16) unsigned char attention_smem[];
  T* sq = reinterpret_cast<T*>(attention_smem);    // (kWarps, hd)
  T* sk = sq + kWarps * hd;                        // (kAttnTile, tile_ld)
  T* sv = sk + kAttnTile * tile_ld(hd);            // (kAttnTile, tile_ld)
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const size_t head = size_t(blockIdx.x) * T_ * hd;
  const int row0 = blockIdx.y * kWarps, i = row0 + warp;
  const bool live = i < T_;
  if (live) load_own_row(sq, q + head, i, hd, warp, lane);
  const int end = causal ? min(T_, row0 + kWarps) : T_;
  T mx = -INFINITY, l = 0, acc[R] = {};
  for (int j0 = 0; j0 < end; j0 += kAttnTile) {
    __syncthreads();  // the previous tile is consumed; sq is written
    load_tile(sk, k + head, j0, T_, hd);
    load_tile(sv, v + head, j0, T_, hd);
    __syncthreads();
    if (!live) continue;
    const int j = j0 + lane;
    const bool ok = j < T_ && (!causal || j <= i);
    const T s = ok ? scale * tile_dot(sq + warp * hd, sk, lane, hd) : T(-INFINITY);
    const T m_new = max(mx, warp_max(s));  // finite: key 0 is in every query's first tile
    const T p = ok ? exp(s - m_new) : T(0), alpha = exp(mx - m_new);
    l = l * alpha + warp_sum(p);
#pragma unroll
    for (int u = 0; u < R; ++u) acc[u] *= alpha;
    add_tile_rows(acc, p, sv, hd, lane);
    mx = m_new;
  }
  if (!live) return;
#pragma unroll
  for (int u = 0; u < R; ++u) acc[u] /= l;
  store_row(o + head, acc, T(1), i, hd, lane);
  if (lane == 0) lse[size_t(blockIdx.x) * T_ + i] = mx + log(l);
}

// D (rows,) = rowwise dout . o, one warp per row.
template <class T>
__global__ void attention_delta_kernel(T* D, const T* dout, const T* o, int rows, int hd) {
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  T s = 0;
  for (int c = lane; c < hd; c += 32) s += dout[size_t(row) * hd + c] * o[size_t(row) * hd + c];
  s = warp_sum(s);
  if (lane == 0) D[row] = s;
}

// dq_i = scale sum_j ds_ij k_j with ds_ij = p_ij (dout_i . v_j - D_i), p_ij = exp(scale q_i . k_j - lse_i).
template <class T, int R>
__global__ void attention_dq_kernel(T* dq, const T* dout, const T* lse, const T* D, const T* q, const T* k,
                                    const T* v, int T_, int hd, T scale, bool causal) {
  extern __shared__ __align__(16) unsigned char attention_smem[];
  T* sq = reinterpret_cast<T*>(attention_smem);    // (kWarps, hd)
  T* sdo = sq + kWarps * hd;                       // (kWarps, hd)
  T* sk = sdo + kWarps * hd;                       // (kAttnTile, tile_ld)
  T* sv = sk + kAttnTile * tile_ld(hd);            // (kAttnTile, tile_ld)
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const size_t head = size_t(blockIdx.x) * T_ * hd;
  const int row0 = blockIdx.y * kWarps, i = row0 + warp;
  const bool live = i < T_;
  if (live) {
    load_own_row(sq, q + head, i, hd, warp, lane);
    load_own_row(sdo, dout + head, i, hd, warp, lane);
  }
  const T lse_i = live ? lse[size_t(blockIdx.x) * T_ + i] : T(0), D_i = live ? D[size_t(blockIdx.x) * T_ + i] : T(0);
  const int end = causal ? min(T_, row0 + kWarps) : T_;
  T acc[R] = {};
  for (int j0 = 0; j0 < end; j0 += kAttnTile) {
    __syncthreads();
    load_tile(sk, k + head, j0, T_, hd);
    load_tile(sv, v + head, j0, T_, hd);
    __syncthreads();
    if (!live) continue;
    const int j = j0 + lane;
    T ds = 0;
    if (j < T_ && (!causal || j <= i)) {
      const T p = exp(scale * tile_dot(sq + warp * hd, sk, lane, hd) - lse_i);
      ds = p * (tile_dot(sdo + warp * hd, sv, lane, hd) - D_i);
    }
    add_tile_rows(acc, ds, sk, hd, lane);
  }
  if (live) store_row(dq + head, acc, scale, i, hd, lane);
}

// dk_j = scale sum_i ds_ij q_i, dv_j = sum_i p_ij dout_i: a warp per key, query tiles through shared memory
// (causal blocks start at the tile holding their first key).
template <class T, int R>
__global__ void attention_dkv_kernel(T* dk, T* dv, const T* dout, const T* lse, const T* D, const T* q,
                                     const T* k, const T* v, int T_, int hd, T scale, bool causal) {
  extern __shared__ __align__(16) unsigned char attention_smem[];
  T* sk = reinterpret_cast<T*>(attention_smem);    // (kWarps, hd)
  T* sv = sk + kWarps * hd;                        // (kWarps, hd)
  T* sq = sv + kWarps * hd;                        // (kAttnTile, tile_ld)
  T* sdo = sq + kAttnTile * tile_ld(hd);           // (kAttnTile, tile_ld)
  T* slse = sdo + kAttnTile * tile_ld(hd);         // (kAttnTile,)
  T* sD = slse + kAttnTile;                        // (kAttnTile,)
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const size_t head = size_t(blockIdx.x) * T_ * hd;
  const int row0 = blockIdx.y * kWarps, j = row0 + warp;
  const bool live = j < T_;
  if (live) {
    load_own_row(sk, k + head, j, hd, warp, lane);
    load_own_row(sv, v + head, j, hd, warp, lane);
  }
  T gk[R] = {}, gv[R] = {};
  for (int i0 = causal ? row0 / kAttnTile * kAttnTile : 0; i0 < T_; i0 += kAttnTile) {
    __syncthreads();
    load_tile(sq, q + head, i0, T_, hd);
    load_tile(sdo, dout + head, i0, T_, hd);
    if (threadIdx.x < kAttnTile) {
      const int i = i0 + threadIdx.x;
      slse[threadIdx.x] = i < T_ ? lse[size_t(blockIdx.x) * T_ + i] : T(0);
      sD[threadIdx.x] = i < T_ ? D[size_t(blockIdx.x) * T_ + i] : T(0);
    }
    __syncthreads();
    if (!live) continue;
    const int i = i0 + lane;
    T p = 0, ds = 0;
    if (i < T_ && (!causal || i >= j)) {
      p = exp(scale * tile_dot(sk + warp * hd, sq, lane, hd) - slse[lane]);
      ds = p * (tile_dot(sv + warp * hd, sdo, lane, hd) - sD[lane]);
    }
    add_tile_rows(gv, p, sdo, hd, lane);
    add_tile_rows(gk, ds, sq, hd, lane);
  }
  if (!live) return;
  store_row(dk + head, gk, scale, j, hd, lane);
  store_row(dv + head, gv, T(1), j, hd, lane);
}

}  // namespace moesim::models::cuda
