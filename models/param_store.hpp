#pragma once
// Parameters, gradients and AdamW moments: four flat buffers in the backend's memory with one layout.
#include <vector>

#include "backend.hpp"
#include "param_table.hpp"

namespace moesim::models {

template <class T>
class ParamStore {
 public:
  ParamStore(Backend<T>& backend, ParamTable table);
  ~ParamStore();
  ParamStore(const ParamStore&) = delete;
  ParamStore& operator=(const ParamStore&) = delete;

  const ParamTable& table() const { return table_; }
  Backend<T>& backend() { return backend_; }
  size_t size() const { return table_.total(); }
  T* params() { return params_; }
  T* grads() { return grads_; }
  T* m() { return m_; }
  T* v() { return v_; }
  T* param(const std::string& name) { return params_ + table_[name].offset; }
  T* grad(const std::string& name) { return grads_ + table_[name].offset; }

  void zero_grads();
  void reset_moments();
  // Host copies of whole buffers (checkpoints, CPU<->GPU comparison).
  std::vector<T> download(const T* buffer) const;
  void upload(T* buffer, const std::vector<T>& host);

 private:
  Backend<T>& backend_;
  ParamTable table_;
  T *params_, *grads_, *m_, *v_;
};

}  // namespace moesim::models
