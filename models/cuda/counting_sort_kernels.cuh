#pragma once
// A stable counting sort of m integer keys in [0, E) on the device, without atomics, in three launches:
// count (block e counts key e), scan (one block: offsets), place (block e writes the slots holding key e
// in slot order, ranks from warp ballots). It sorts a step's (token, slot) pairs by expert and its token
// positions by vocabulary entry. Count and place read all m keys once per key value: O(E m) reads,
// microseconds at the sizes here (m = tokens x top-k, E = experts or the vocabulary).
#include "models/cuda/device_math.cuh"

namespace moesim::models::cuda {

// counts (E): how many of keys (m) equal e. One block per key value.
static __global__ void key_count_kernel(int* counts, const int* keys, int m) {
  const int e = blockIdx.x;
  int c = 0;
  for (int s = threadIdx.x; s < m; s += blockDim.x) c += keys[s] == e;
  c = block_sum(c);
  if (threadIdx.x == 0) counts[e] = c;
}

// offsets (E+1) = exclusive prefix sums of counts (E), offsets[E] = m. One block of kThreads: thread t
// scans a contiguous chunk of the counts, starting after the chunks before it.
static __global__ void key_offsets_kernel(int* offsets, const int* counts, int E) {
  __shared__ int chunk_start[kThreads + 1];
  const int per = (E + kThreads - 1) / kThreads;
  const int lo = min(E, int(threadIdx.x) * per), hi = min(E, lo + per);
  int sum = 0;
  for (int e = lo; e < hi; ++e) sum += counts[e];
  chunk_start[threadIdx.x + 1] = sum;
  __syncthreads();
  if (threadIdx.x == 0) {
    chunk_start[0] = 0;
    for (int t = 1; t <= kThreads; ++t) chunk_start[t] += chunk_start[t - 1];
    offsets[E] = chunk_start[kThreads];
  }
  __syncthreads();
  int next = chunk_start[threadIdx.x];
  for (int e = lo; e < hi; ++e) {
    offsets[e] = next;
    next += counts[e];
  }
}

// Block e walks keys (m) in chunks of kThreads and gives each slot s with key e the next row of e's range:
// rows[s] = that row (when rows is not null) and sources[row] = s / k (the token of slot s when each token
// has k slots). A slot's rank in its chunk is the count of matching slots before it: within its warp from
// the ballot, across warps from the warps' counts in shared memory.
static __global__ void key_place_kernel(int* rows, int* sources, const int* offsets, const int* keys, int m, int k) {
  __shared__ int warp_count[kWarps];
  const int e = blockIdx.x, lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  int next = offsets[e];
  for (int chunk = 0; chunk < m; chunk += kThreads) {  // the same trip count in every thread: ballots agree
    const int s = chunk + threadIdx.x;
    const bool mine = s < m && keys[s] == e;
    const unsigned ballot = __ballot_sync(0xffffffffu, mine);
    if (lane == 0) warp_count[warp] = __popc(ballot);
    __syncthreads();
    int before = 0, total = 0;
    for (int w = 0; w < kWarps; ++w) {
      before += w < warp ? warp_count[w] : 0;
      total += warp_count[w];
    }
    if (mine) {
      const int row = next + before + __popc(ballot & ((1u << lane) - 1u));
      if (rows) rows[s] = row;
      sources[row] = s / k;
    }
    next += total;
    __syncthreads();  // warp_count is rewritten by the next chunk
  }
}

}  // namespace moesim::models::cuda
