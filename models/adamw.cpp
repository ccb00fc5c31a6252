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
double AdamW<T>::step(long step, long total) {
  Backend<T>& be = store_.backend();
  const double norm = std::sqrt(be.sum_squares(store_.grads(), store_.size()));
  if (c_.clip > 0 && norm > c_.clip) be.scale(store_.grads(), store_.size(), T(c_.clip / norm));
  const T lr = T(learning_rate(c_, step, total));
  ++t_;
  for (const auto& v : store_.table().views()) {
    const size_t o = v.offset;
    be.adamw(store_.params() + o, store_.grads() + o, store_.m() + o, store_.v() + o, v.size, lr, T(c_.beta1),
             T(c_.beta2), T(c_.eps), v.decay ? T(c_.weight_decay) : T(0), int(t_));
  }
  return norm;
}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace moesim::models
