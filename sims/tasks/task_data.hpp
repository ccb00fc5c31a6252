#pragma once
// A task's examples as `moesim data` exports them: drawn by the generators, seeds and streams the trainer
// uses, so that example i of a split here is example i of that split in training (tests/sims/tasks/
// test_task_data.cpp proves it for every task and split by scoring an oracle built from the export).
//
// Each task declares its data in its own file (Task::data, tasks/task.hpp). Formats, one line per example:
//   jsonl:  the example's own fields (a graph's arcs and query, a name and number, a matrix's panels, ...)
//   tokens: what the model reads, a tab, what it is trained to output. Token tasks write token ids; real-
//           vector tasks (gaussian) write the N x dim values row-major in the shortest text that reads back
//           as the same float. The output part is the 0/1 label (classification), the 0/1 mask of the
//           tokens in the loss (sequence tasks) or the target values (SRAVEN).
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace moesim::sims {

enum class DataFormat { Jsonl, Tokens };
DataFormat parse_data_format(const std::string& name);  // jsonl | tokens, else UsageError

using TextBuffer = fmt::memory_buffer;

// A split a task exports, e.g. "train" of 2,000 examples; kUnbounded for a stream without end (fresh
// training data, drawn anew at every step).
struct DataSplit {
  static constexpr long kUnbounded = -1;
  std::string name;
  long size = 0;
  std::string help;  // what the split is, one line
};

class TaskData {
 public:
  virtual ~TaskData() = default;
  virtual std::vector<DataSplit> splits() const = 0;
  // Appends examples [first, first + count) of `split` (one of splits()) to `out`, one line each. Called
  // from several threads at once, on disjoint ranges.
  virtual void write(const std::string& split, long first, long count, DataFormat format, TextBuffer& out) const = 0;
};

// Line pieces shared by the tasks' writers.
inline void append_int(TextBuffer& out, long value) {
  const fmt::format_int text(value);
  out.append(text.data(), text.data() + text.size());
}
void append_ints(TextBuffer& out, const std::vector<int>& values, char sep = ' ');       // 3 1 4
void append_json_ints(TextBuffer& out, const std::vector<int>& values);                // [3,1,4]
void append_mask(TextBuffer& out, const std::vector<char>& mask);                      // 0110
void append_floats(TextBuffer& out, const float* values, long count, char sep = ' ');  // shortest round trip

}  // namespace moesim::sims
