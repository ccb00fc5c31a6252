#pragma once
// One training step, the same for every model family: gradients zeroed, forward, backward, AdamW update.
// On a backend that records graphs (CUDA graphs; Backend::begin_capture) the step's device work is recorded
// once per layout of the model and replayed after: one launch per step instead of hundreds of kernels, and
// no host round trip until the loss is read. The first step of each layout runs directly, so that every
// buffer made on first use (cuBLAS's, the backend's scratch) exists before recording. A recorded step
// computes what the direct one computes, op for op on the same memory: the same bits. A step that cannot be
// recorded (an op refused while recording) runs directly, with a warning.
#include <vector>

#include "models/adamw.hpp"
#include "models/model.hpp"

namespace moesim::models {

template <class T>
class TrainStep {
 public:
  // record = false runs every step directly (a benchmark's comparison).
  TrainStep(Model<T>& model, AdamW<T>& opt, bool record = true);

  // Step `step` of `total` on `batch`; returns its loss. With `routing`, the routing of this step's forward
  // pass is written there (a download between forward and backward: such a step runs directly).
  double run(const Batch& batch, long step, long total, std::vector<RoutingStats>* routing = nullptr);

  long recordings() const { return recordings_; }  // graphs recorded so far
  long replays() const { return replays_; }        // steps run by replaying one

 private:
  void enqueue(std::vector<RoutingStats>* routing);
  bool record(long layout);  // records the step; false (and a warning) if it cannot be recorded

  Model<T>& model_;
  AdamW<T>& opt_;
  Backend<T>& be_;
  bool record_;
  long warm_ = -1, recorded_ = -1;  // the layouts of the last direct step and of the recorded graph
  long recorded_epoch_ = -1;        // the backend's epoch() once recorded: another recording or moved scratch
                                    // (a second model on the backend) makes the graph stale
  long direct_only_ = -1;           // a layout whose recording failed
  long recordings_ = 0, replays_ = 0;
};

}  // namespace moesim::models
