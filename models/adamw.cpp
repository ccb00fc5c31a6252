#include "adamw.hpp"

#include <algorithm>
#include <cmath>

namespace moesim::models {

double lr_multiplier(const OptimizerConfig& c, int width) {
  return c.lr_width > 0 && width > c.lr_width ? c.lr_width / double(width) : 1.0;
}

namespace {

// The distinct lr multipliers of a table's tensors (G,), at least one.
std::vector<double> lr_multipliers(const OptimizerConfig& c, const ParamTable& table) {
  std::vector<double> multipliers{1.0};
  for (const auto& v : table.views())
    if (std::find(multipliers.begin(), multipliers.end(), lr_multiplier(c, v.width)) == multipliers.end())
      multipliers.push_back(lr_multiplier(c, v.width));
  return multipliers;
}

// Each view's index into multipliers.
std::vector<int> lr_groups(const OptimizerConfig& c, const ParamTable& table, const std::vector<double>& multipliers) {
  std::vector<int> group;
  for (const auto& v : table.views())
    group.push_back(int(std::find(multipliers.begin(), multipliers.end(), lr_multiplier(c, v.width)) - multipliers.begin()));
  return group;
}

}  // namespace

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
      multipliers_(lr_multipliers(config, store.table())),
      group_(lr_groups(config, store.table(), multipliers_)),
      schedule_(static_cast<T*>(store.backend().alloc(3 * multipliers_.size() * sizeof(T)))),
      schedule_host_(store.backend(), 3 * multipliers_.size()) {
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
  const double lr = learning_rate(c_, step, total);
  for (size_t g = 0; g < multipliers_.size(); ++g) {
    schedule_host_[3 * g] = T(lr * multipliers_[g]);  // multiplier 1: exactly the lr of a run without groups
    schedule_host_[3 * g + 1] = T(1) - std::pow(T(c_.beta1), T(t_));  // in T, as the update computes with it
    schedule_host_[3 * g + 2] = T(1) - std::pow(T(c_.beta2), T(t_));
  }
}

template <class T>
void AdamW<T>::enqueue() {
  Backend<T>& be = store_.backend();
  be.clip_norm(store_.grads(), store_.size(), c_.clip, norm_);
  be.upload(schedule_, schedule_host_.data(), 3 * multipliers_.size() * sizeof(T));
  const auto& views = store_.table().views();
  for (size_t i = 0; i < views.size(); ++i) {
    const auto& v = views[i];
    const size_t o = v.offset;
    be.adamw(store_.params() + o, store_.grads() + o, store_.m() + o, store_.v() + o, v.size, schedule_ + 3 * group_[i],
             T(c_.beta1), T(c_.beta2), T(c_.eps), v.decay ? T(c_.weight_decay) : T(0));
  }
}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace moesim::models
