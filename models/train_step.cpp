#include "train_step.hpp"

#include <cstdio>
#include <exception>

namespace moesim::models {

template <class T>
TrainStep<T>::TrainStep(Model<T>& model, AdamW<T>& opt, bool record)
    : model_(model), opt_(opt), be_(model.store().backend()), record_(record && be_.can_capture()) {}

template <class T>
void TrainStep<T>::enqueue(std::vector<RoutingStats>* routing) {
  model_.store().zero_grads();
  model_.enqueue_forward();
  if (routing) *routing = model_.routing();  // before the backward pass, as the forward left it
  model_.backward();
  opt_.enqueue();
}

template <class T>
double TrainStep<T>::run(const Batch& batch, long step, long total, std::vector<RoutingStats>* routing) {
  model_.stage(batch);
  opt_.stage(step, total);
  const long layout = model_.layout();
  const bool replayable = layout == recorded_ && be_.epoch() == recorded_epoch_;
  if (!record_ || routing || layout == direct_only_ || (!replayable && layout != warm_)) {
    enqueue(routing);
    warm_ = layout;
  } else {
    if (!replayable && !record(layout)) {
      enqueue(nullptr);  // nothing ran while recording: the step runs directly instead
    } else {
      be_.replay();
      ++replays_;
    }
  }
  be_.synchronize();
  return model_.staged_loss();
}

template <class T>
bool TrainStep<T>::record(long layout) {
  recorded_ = -1;
  be_.begin_capture();
  try {
    enqueue(nullptr);
    be_.end_capture();
  } catch (const std::exception& e) {
    try {
      be_.end_capture();  // leave the backend usable; what was recorded is of no use
    } catch (...) {
    }
    // A step that cannot be recorded (an op refused while recording) still trains, directly, at this layout.
    direct_only_ = layout;
    std::fprintf(stderr, "moesim: the training step could not be recorded (%s); its steps run directly\n", e.what());
    return false;
  }
  recorded_ = layout;
  recorded_epoch_ = be_.epoch();
  ++recordings_;
  return true;
}

template class TrainStep<float>;
template class TrainStep<double>;

}  // namespace moesim::models
