#pragma once
// A task, as a plug-in (after tiny-cuda-nn's registered losses): what the model reads and predicts, its
// data, its scores, its trivial baselines and what it adds to the run record. Each task is one file
// under sims/tasks/ that ends in one registration line,
//
//   MOESIM_REGISTER_TASK(phonebook, make_phonebook_task);
//
// and everything else finds it through the registry: `moesim train --task` (its choices and help, the
// task's own options), the presets' checks, the trainer, the registry-wide test.
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/model.hpp"
#include "option_spec.hpp"
#include "tasks/task_data.hpp"

namespace moesim::sims {

struct RunOptions;

// The model family a task trains: the Transformer (--model dense | moe) or the one-layer theory model
// (--model onelayer).
enum class Family { Transformer, OneLayer };
const char* family_name(Family f);    // "Transformer", "one-layer"
const char* family_models(Family f);  // "dense or moe", "onelayer"
const char* family_model(Family f);   // a --model of the family: "dense", "onelayer"
Family model_family(const std::string& model);

// What the model reads.
struct TaskShape {
  int vocab = 0;              // token inputs: ids in [0, vocab); 0: real-vector inputs
  int input_dim = 0;          // real-vector inputs (one-layer): width of each position's vector
  int max_len = 0;            // the longest model input (Transformer)
  bool bidirectional = false; // the task needs bidirectional attention whatever --bidirectional says
  int masked_token = -1;      // one-layer: a token the attention leaves out of its keys (-1: none)
};

struct Scores {
  double train = 0, test = 0;             // the headline metric on training and test data
  std::map<std::string, double> metrics;  // task-specific extras, named as the record and CSV name them
};

// One run's instance of a task: its data, generated from the run's options and seed.
class TaskRun {
 public:
  virtual ~TaskRun() = default;
  virtual TaskShape shape() const = 0;
  // The training batch of step `step` (`size` examples), with its loss fields.
  virtual models::Batch batch(long step, int size) = 0;
  // Scores of the model now, over at most `limit` examples of each split.
  virtual Scores evaluate(models::Model<float>& model, int limit) = 0;
  // The test metric on the task's confirmation set, if it has one: examples the run never saw, neither in
  // training nor in early stopping; scored once, after training.
  virtual std::optional<double> confirm(models::Model<float>&) { return std::nullopt; }
  // The scores of the task's trivial baselines on its test set, in the units of the test metric
  // (name -> score): the floor a figure draws.
  virtual std::map<std::string, double> baselines() const = 0;
  // What else the run record should carry about the data (a calibrated p, a held-out split, ...).
  virtual nlohmann::json record() const { return nlohmann::json::object(); }
  // Checks of the trained model beyond its scores (e.g. Thm 3.2's protocol on it), for the record's task
  // fields under "examined"; null when the task has none for this run.
  virtual nlohmann::json examine(models::Model<float>&) { return nullptr; }
};

struct Task {
  std::string name;                 // --task NAME
  int version = 1;                  // bumped whenever the task's data or scores change (models/version.hpp)
  std::string help;                 // one line for --help
  Family family = Family::Transformer;
  std::vector<OptionSpec> options;  // the task's own options; a name shared by tasks is declared alike
  std::function<std::unique_ptr<TaskRun>(const RunOptions&)> make;
  std::function<void(const RunOptions&)> check;  // checks across options (throws UsageError); may be empty
  // The number of distinct training examples of a task with a fixed training set, which --epochs
  // (epochs_option) counts passes over; empty for tasks that draw fresh data.
  std::function<long(const RunOptions&)> train_examples;
  // The run's examples for `moesim data` (tasks/task_data.hpp): the trainer's, split by split.
  std::function<std::unique_ptr<TaskData>(const RunOptions&)> data;
  // Tiny option sets (task options and model sizes, as a preset writes them) that train in seconds:
  // the registry-wide test trains every one of them on every backend.
  std::vector<std::map<std::string, std::string>> examples;
};

// Adds a task; a second task of the same name, or an option declared differently by two tasks, is a
// programming error (std::logic_error at start-up).
bool register_task(Task task);
const std::vector<Task>& tasks();  // in name order
const Task* find_task(const std::string& name);
// The task, or UsageError "--task: 'NAME' is not a task (accepted: ...)".
const Task& task_named(const std::string& name);

#define MOESIM_REGISTER_TASK(id, make) \
  [[maybe_unused]] static const bool moesim_registered_task_##id = ::moesim::sims::register_task(make())

}  // namespace moesim::sims
