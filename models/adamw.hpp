#pragma once
// AdamW with decoupled weight decay (none on norms and biases), a warmup-then-decay schedule and global
// gradient-norm clipping, over a ParamStore's flat buffers.
#include <string>
#include <vector>

#include "models/host_array.hpp"
#include "models/param_store.hpp"

namespace moesim::models {

enum class Decay { Linear, Cosine };

struct OptimizerConfig {
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.95, eps = 1e-8;
  double weight_decay = 0.1;
  double warmup = 0.2;       // fraction of the steps spent warming up linearly from 0
  Decay decay = Decay::Linear;
  double min_lr_ratio = 0.0;  // the decay ends at lr * min_lr_ratio
  double clip = 1.0;          // global gradient-norm clip (0 = off)
  // muP's 1/fan-in learning rates for Adam above a base width: a tensor whose fan-in grows with the model's
  // width (TensorView::width > lr_width) trains at lr * lr_width / width. Adam moves every entry by about lr
  // whatever the gradient's scale, so without it a wider matrix moves its outputs faster. At or below
  // lr_width, and with 0 (off), every tensor trains at lr.
  double lr_width = 0;
};

// The multiplier of the learning rate of a tensor of this width under c (1 where lr_width is off or wider).
double lr_multiplier(const OptimizerConfig& c, int width);

// The learning rate at `step` (0-based) of `total`.
double learning_rate(const OptimizerConfig& c, long step, long total);

template <class T>
class AdamW {
 public:
  AdamW(const OptimizerConfig& config, ParamStore<T>& store);
  ~AdamW();
  AdamW(const AdamW&) = delete;
  AdamW& operator=(const AdamW&) = delete;
  // One update from the gradients in the store. The clipping decision is made where the backend computes:
  // a step waits for no download. step() is stage() then enqueue(): stage() writes the step's learning rate
  // and bias corrections into host memory that stays put, enqueue() uploads them and enqueues the update, so
  // a recorded step (models/train_step.hpp) replays with each step's values.
  void step(long step, long total);
  void stage(long step, long total);
  void enqueue();
  // The gradient norm before clipping of the last step (a download: a synchronisation on a GPU).
  double grad_norm() const;
  long steps_taken() const { return t_; }
  void set_steps_taken(long t) { t_ = t; }  // resuming from a checkpoint

 private:
  OptimizerConfig c_;
  ParamStore<T>& store_;
  double* norm_;          // one double in the backend's memory
  std::vector<double> multipliers_;  // (G,) the distinct lr multipliers of the store's tensors
  std::vector<int> group_;           // per tensor view: its multiplier's index in multipliers_
  T* schedule_;           // (G,3) [lr * multiplier, 1 - beta1^t, 1 - beta2^t] in the backend's memory
  HostArray<T, T> schedule_host_;
  long t_ = 0;
};

}  // namespace moesim::models
