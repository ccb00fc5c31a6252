#include "train_step.hpp"

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
  if (!record_ || routing || (layout != warm_ && layout != recorded_)) {
    enqueue(routing);
    warm_ = layout;
  } else {
    if (layout != recorded_) {
      be_.begin_capture();
      try {
        enqueue(nullptr);
      } catch (...) {
        try {
          be_.end_capture();  // leave the backend usable; what was recorded is of no use
        } catch (...) {
        }
        recorded_ = -1;
        throw;
      }
      be_.end_capture();
      recorded_ = layout;
      ++recordings_;
    }
    be_.replay();
    ++replays_;
  }
  be_.synchronize();
  return model_.staged_loss();
}

template class TrainStep<float>;
template class TrainStep<double>;

}  // namespace moesim::models
