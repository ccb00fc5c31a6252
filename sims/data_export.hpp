#pragma once
// `moesim data`'s engine: a range of a task's split, formatted in parallel chunks and written in order, so
// memory stays bounded (threads x chunk) whatever the count, and the bytes do not depend on the threads.
#include <functional>
#include <string>
#include <string_view>

#include "tasks/task_data.hpp"

namespace moesim::sims {

struct ExportRange {
  std::string split;  // one of the task's splits
  long offset = 0;    // the first example
  long count = -1;    // -1: to the split's end (refused for a split without end)
};

// The split named, and the range checked against its size; UsageError naming what is accepted.
DataSplit checked_split(const TaskData& data, const ExportRange& range);

// Hands the range's examples to `sink` in order, a chunk's text at a time (a StreamOut's write, or a
// benchmark's counter). `threads` 0: OpenMP's default.
using TextSink = std::function<void(std::string_view)>;
void export_examples(const TaskData& data, const ExportRange& range, DataFormat format, const TextSink& sink,
                     int threads = 0, long chunk = 1024);

}  // namespace moesim::sims
