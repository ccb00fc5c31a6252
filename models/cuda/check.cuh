#pragma once
// Error wrappers that say where a CUDA or cuBLAS call failed and what to look at.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace moesim::models::cuda {

inline void check(cudaError_t e, const char* what, const char* file, int line) {
  if (e == cudaSuccess) return;
  throw std::runtime_error(std::string("CUDA error in ") + what + " at " + file + ":" + std::to_string(line) + ": " +
                           cudaGetErrorString(e) +
                           (e == cudaErrorMemoryAllocation ? " (hint: smaller batch or model)" : ""));
}

inline void check(cublasStatus_t s, const char* what, const char* file, int line) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  throw std::runtime_error(std::string("cuBLAS error ") + std::to_string(int(s)) + " in " + what + " at " + file +
                           ":" + std::to_string(line) + " (hint: check the matrix sizes and leading dimensions)");
}

}  // namespace moesim::models::cuda

#define CUDA_CHECK(call) ::moesim::models::cuda::check((call), #call, __FILE__, __LINE__)
#define CUBLAS_CHECK(call) ::moesim::models::cuda::check((call), #call, __FILE__, __LINE__)
// After a kernel launch: launch errors surface here rather than at the next synchronising call.
#define KERNEL_CHECK() CUDA_CHECK(cudaGetLastError())
