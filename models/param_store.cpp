#include "param_store.hpp"

#include <stdexcept>

namespace moesim::models {

template <class T>
ParamStore<T>::ParamStore(Backend<T>& backend, ParamTable table) : backend_(backend), table_(std::move(table)) {
  const size_t bytes = table_.total() * sizeof(T);
  params_ = static_cast<T*>(backend_.alloc(bytes));
  grads_ = static_cast<T*>(backend_.alloc(bytes));
  m_ = static_cast<T*>(backend_.alloc(bytes));
  v_ = static_cast<T*>(backend_.alloc(bytes));
  backend_.zero(params_, bytes);
  zero_grads();
  reset_moments();
}

template <class T>
ParamStore<T>::~ParamStore() {
  for (T* p : {params_, grads_, m_, v_}) backend_.release(p);
}

template <class T>
void ParamStore<T>::zero_grads() {
  backend_.zero(grads_, size() * sizeof(T));
}

template <class T>
void ParamStore<T>::reset_moments() {
  backend_.zero(m_, size() * sizeof(T));
  backend_.zero(v_, size() * sizeof(T));
}

template <class T>
std::vector<T> ParamStore<T>::download(const T* buffer) const {
  std::vector<T> host(size());
  backend_.download(host.data(), buffer, size() * sizeof(T));
  return host;
}

template <class T>
void ParamStore<T>::upload(T* buffer, const std::vector<T>& host) {
  if (host.size() != size()) throw std::invalid_argument("parameter buffer size mismatch");
  backend_.upload(buffer, host.data(), size() * sizeof(T));
}

template class ParamStore<float>;
template class ParamStore<double>;

}  // namespace moesim::models
