#pragma once
// Grouped GEMMs for the MoE layer's experts (Backend::gemm_grouped, gemm_grouped_weights): every group in
// one launch, its row ranges read from the device's offsets, so no expert's size comes to the host. Tiled
// in shared memory, 64x64 outputs per block of 256 threads (4x4 each), 16 deep; each output is summed in
// one thread in a fixed order (deterministic, no atomics). Plain FP32/FP64 FMA on CUDA cores.
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

inline constexpr int kGroupTile = 64;   // rows and columns of C per block
inline constexpr int kGroupDepth = 16;  // reduction slice held in shared memory
inline constexpr int kGroupThreads = 256;

// Row tiles are numbered group after group, ceil(rows_g / 64) each. Tile `tile` -> its group and first row;
// false past the last (the launch is sized by rows / 64 + groups, an upper bound).
__device__ inline bool group_of_tile(const int* offsets, int groups, int tile, int& g, int& row0) {
  int first = 0;
  for (g = 0; g < groups; ++g) {
    const int tiles = (offsets[g + 1] - offsets[g] + kGroupTile - 1) / kGroupTile;
    if (tile < first + tiles) {
      row0 = offsets[g] + (tile - first) * kGroupTile;
      return true;
    }
    first += tiles;
  }
  return false;
}

// Each thread's 4x4 outputs (rows ty + 16 i, columns tx + 16 j of the tile) += As^T Bs over one slice.
template <class T>
__device__ inline void tile_product(const T (&As)[kGroupDepth][kGroupTile + 1],
                                    const T (&Bs)[kGroupDepth][kGroupTile + 1], T (&acc)[4][4]) {
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
#pragma unroll
  for (int k = 0; k < kGroupDepth; ++k) {
    T a[4], b[4];
#pragma unroll
    for (int i = 0; i < 4; ++i) a[i] = As[k][ty + 16 * i], b[i] = Bs[k][tx + 16 * i];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
      for (int j = 0; j < 4; ++j) acc[i][j] += a[i] * b[j];
  }
}

// C[row, col] = alpha acc + beta C for the thread's outputs of the tile at (row0, col0) inside rows < row_end
// and columns < N; beta 0: C is not read.
template <class T>
__device__ inline void store_tile(T* C, int ldc, int row0, int row_end, int col0, int N, T alpha, T beta,
                                  const T (&acc)[4][4]) {
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int row = row0 + ty + 16 * i, col = col0 + tx + 16 * j;
      if (row >= row_end || col >= N) continue;
      T* c = C + size_t(row) * ldc + col;
      *c = beta == T(0) ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *c;
    }
}

// C_g = alpha A_g op(B_g) + beta C_g. Grid (row tiles of all groups, column tiles of N).
template <class T>
__global__ void __launch_bounds__(kGroupThreads)
    gemm_grouped_kernel(bool tb, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, long sb, T beta,
                        T* C, int ldc, const int* offsets, int groups) {
  int g, row0;
  if (!group_of_tile(offsets, groups, blockIdx.x, g, row0)) return;
  const int row_end = offsets[g + 1], col0 = blockIdx.y * kGroupTile;
  const T* Bg = B + g * sb;
  __shared__ T As[kGroupDepth][kGroupTile + 1];  // As[k][r] = A[row0 + r, k0 + k]
  __shared__ T Bs[kGroupDepth][kGroupTile + 1];  // Bs[k][c] = op(B_g)[k0 + k, col0 + c]
  T acc[4][4] = {};
  for (int k0 = 0; k0 < K; k0 += kGroupDepth) {
    for (int i = threadIdx.x; i < kGroupTile * kGroupDepth; i += kGroupThreads) {
      const int r = i / kGroupDepth, k = i % kGroupDepth;  // along K: A's rows are contiguous in K
      As[k][r] = row0 + r < row_end && k0 + k < K ? A[size_t(row0 + r) * lda + k0 + k] : T(0);
      if (tb) {  // B_g (N,K): op(B_g)[k, c] = B_g[c, k], contiguous in k
        Bs[k][r] = col0 + r < N && k0 + k < K ? Bg[size_t(col0 + r) * ldb + k0 + k] : T(0);
      } else {   // B_g (K,N), contiguous in c
        const int kb = i / kGroupTile, c = i % kGroupTile;
        Bs[kb][c] = k0 + kb < K && col0 + c < N ? Bg[size_t(k0 + kb) * ldb + col0 + c] : T(0);
      }
    }
    __syncthreads();
    tile_product(As, Bs, acc);
    __syncthreads();
  }
  store_tile(C, ldc, row0, row_end, col0, N, alpha, beta, acc);
}

// C_g (M,N) = alpha A_g^T B_g + beta C_g, summed over the group's rows. Grid (column tiles of N, row tiles
// of M, groups).
template <class T>
__global__ void __launch_bounds__(kGroupThreads)
    gemm_grouped_weights_kernel(int M, int N, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C,
                                int ldc, long sc, const int* offsets) {
  const int g = blockIdx.z, r0 = offsets[g], r1 = offsets[g + 1];
  if (r1 <= r0) return;  // no rows: C_g as it was
  const int m0 = blockIdx.y * kGroupTile, n0 = blockIdx.x * kGroupTile;
  __shared__ T As[kGroupDepth][kGroupTile + 1];  // As[k][i] = A[r + k, m0 + i]
  __shared__ T Bs[kGroupDepth][kGroupTile + 1];  // Bs[k][j] = B[r + k, n0 + j]
  T acc[4][4] = {};
  for (int r = r0; r < r1; r += kGroupDepth) {
    for (int i = threadIdx.x; i < kGroupTile * kGroupDepth; i += kGroupThreads) {
      const int k = i / kGroupTile, c = i % kGroupTile;  // contiguous along the columns
      const bool in = r + k < r1;
      As[k][c] = in && m0 + c < M ? A[size_t(r + k) * lda + m0 + c] : T(0);
      Bs[k][c] = in && n0 + c < N ? B[size_t(r + k) * ldb + n0 + c] : T(0);
    }
    __syncthreads();
    tile_product(As, Bs, acc);
    __syncthreads();
  }
  store_tile(C + g * sc, ldc, m0, M, n0, N, alpha, beta, acc);
}

}  // namespace moesim::models::cuda
