#pragma once
// What a trainer needs of a model family, whatever the family: its parameters, and a forward and
// backward pass over a batch. Transformer and OneLayer both implement it, so one training loop serves
// every task.
#include <cstdint>
#include <vector>

#include "models/param_store.hpp"

namespace moesim::models {

// One batch on the host. A family reads the fields it needs and ignores the others:
//   Transformer: tokens (B,T), and for a loss targets (B,T) and weights (B,T) (0 leaves a position out)
//   OneLayer:    tokens (B,T) or x (B,T,input_dim), and for a loss labels (B,) in {-1, +1}
// Without its loss fields, forward() computes the outputs only (evaluation).
struct Batch {
  int B = 0, T = 0;
  std::vector<int> tokens;
  std::vector<float> x;
  std::vector<int> targets;
  std::vector<float> weights;
  std::vector<float> labels;
};

// What one MoE layer's router did on a forward pass: each expert's share of the routed (token, slot)
// pairs (E,), the busiest expert's share over the mean 1/E (1: balanced; E: every token to one expert),
// and the router's softmax entropy in nats, averaged over tokens (ln E: uniform; 0: certain).
struct RoutingStats {
  std::vector<double> load;
  double max_over_mean = 0;
  double entropy = 0;
};

template <class T>
class Model {
 public:
  virtual ~Model() = default;
  virtual ParamStore<T>& store() = 0;
  // The loss of the batch (0 without its loss fields), auxiliary losses included: the three parts below.
  double forward(const Batch& batch) {
    stage(batch);
    enqueue_forward();
    return staged_loss();
  }
  // A forward pass in parts, so that a backend can record a training step's work once and replay it
  // (models/train_step.hpp). stage() writes the batch into host memory that stays where it is (it works on
  // the backend only when the batch's shape is new: then layout() changes); enqueue_forward() sends it and
  // enqueues the forward pass, the download of its loss included; staged_loss() reads that loss once the
  // backend has run it. Outside a recorded graph the download waits, so forward() needs no synchronize().
  virtual void stage(const Batch& batch) = 0;
  virtual void enqueue_forward() = 0;
  virtual double staged_loss() const = 0;
  // Changes whenever the backend memory that the forward and backward passes use moves (a new batch shape,
  // a larger staging buffer) or the batch gains or loses its loss fields (what is uploaded and computed): a
  // recorded step is only valid for the layout it was recorded with.
  virtual long layout() const = 0;
  // Accumulates the gradient of the last forward's loss into store().grads().
  virtual void backward() = 0;
  // The last forward's outputs on the host: Transformer logits (B,T,V), OneLayer logits (B,).
  virtual std::vector<T> outputs() = 0;
  // The routing of the last forward, one entry per MoE layer (none for a dense model).
  virtual std::vector<RoutingStats> routing() { return {}; }
};

}  // namespace moesim::models
