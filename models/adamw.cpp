#include "adamw.hpp"

#include <algorithm>
#include <cmath>

namespace moesim::models {

double learning_rate(const OptimizerConfig& c, long step, long total) {
  const double warm = std::max(1.0, c.warmup * double(total));
  if (step < warm) return c.lr * double(step + 1) / warm;
  const double progress = std::min(1.0, (double(step) - warm) / std::max(1.0, double(total) - warm));
  const double shape = c.decay == Decay::Linear ? 1.0 - progress : 0.5 * (1.0 + std::cos(M_PI * progress));
  return c.lr * (c.min_lr_ratio + (1.0 - c.min_lr_ratio) * shape);
}

template <class T>
AdamW<T>::AdamW(const OptimizerConfig& config, ParamStore<T>& store)
    : c_(config),
      store_(store),
      norm_(static_cast<double*>(store.backend().alloc(sizeof(double)))),
      schedule_(static_cast<T*>(store.backend().alloc(3 * sizeof(T)))),
      schedule_host_(store.backend(), 3) {
  store_.backend().zero(norm_, sizeof(double));
}

template <class T>
AdamW<T>::~AdamW() {
  store_.backend().release(schedule_);
  store_.backend().release(norm_);
}

template <class T>
double AdamW<T>::grad_norm() const {
  double norm = 0;
  store_.backend().download(&norm, norm_, sizeof(double));
  return norm;
}

template <class T>
void AdamW<T>::step(long step, long total) {
  stage(step, total);
  enqueue();
}

template <class T>
void AdamW<T>::stage(long step, long total) {
  ++t_;
  schedule_host_[0] = T(learning_rate(c_, step, total));
  schedule_host_[1] = T(1) - std::pow(T(c_.beta1), T(t_));  // in T, as the update computes with it
  schedule_host_[2] = T(1) - std::pow(T(c_.beta2), T(t_));
}

template <class T>
void AdamW<T>::enqueue() {
  Backend<T>& be = store_.backend();
  be.clip_norm(store_.grads(), store_.size(), c_.clip, norm_);
  be.upload(schedule_, schedule_host_.data(), 3 * sizeof(T));
  for (const auto& v : store_.table().views()) {
    const size_t o = v.offset;
    be.adamw(store_.params() + o, store_.grads() + o, store_.m() + o, store_.v() + o, v.size, schedule_, T(c_.beta1),
             T(c_.beta2), T(c_.eps), v.decay ? T(c_.weight_decay) : T(0));
  }
}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace moesim::models
