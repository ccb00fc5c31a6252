#include "data_export.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <vector>

#include "usage_error.hpp"

namespace moesim::sims {

DataSplit checked_split(const TaskData& data, const ExportRange& r) {
  const auto splits = data.splits();
  std::string accepted;
  for (const auto& s : splits) {
    if (s.name == r.split) {
      if (r.offset < 0) throw UsageError("--offset: " + std::to_string(r.offset) + " is negative (accepted: 0 or more)");
      if (s.size == DataSplit::kUnbounded) {
        if (r.count < 0)
          throw UsageError("--count: the " + s.name + " split is a stream without end; say how many examples to write");
        return s;
      }
      const long end = r.count < 0 ? s.size : r.offset + r.count;
      if (r.offset > s.size || end > s.size)
        throw UsageError("--offset/--count: examples " + std::to_string(r.offset) + ".." + std::to_string(end) +
                         " lie beyond the " + s.name + " split's " + std::to_string(s.size) + " (accepted: offset + count <= " +
                         std::to_string(s.size) + ")");
      return s;
    }
    accepted += (accepted.empty() ? "" : ", ") + s.name;
  }
  throw UsageError("--split: '" + r.split + "' is not a split of this task (accepted: " + accepted + ")");
}

void export_examples(const TaskData& data, const ExportRange& r, DataFormat format, const TextSink& sink, int threads,
                     long chunk) {
  const DataSplit split = checked_split(data, r);
  const long end = r.count < 0 ? split.size : r.offset + r.count;
  const int workers = threads > 0 ? threads : omp_get_max_threads();
  // A round formats one chunk per worker, then writes them in order.
  std::vector<TextBuffer> buffers(static_cast<size_t>(workers));
  for (long round = r.offset; round < end; round += chunk * workers) {
    const int chunks = int(std::min<long>(workers, (end - round + chunk - 1) / chunk));
    std::exception_ptr error;  // exceptions must not leave an OpenMP region
#pragma omp parallel for num_threads(workers) schedule(dynamic, 1)
    for (int c = 0; c < chunks; ++c) {
      const long first = round + c * chunk;
      buffers[size_t(c)].clear();
      try {
        data.write(split.name, first, std::min(chunk, end - first), format, buffers[size_t(c)]);
      } catch (...) {
#pragma omp critical
        if (!error) error = std::current_exception();
      }
    }
    if (error) std::rethrow_exception(error);
    for (int c = 0; c < chunks; ++c) sink(std::string_view(buffers[size_t(c)].data(), buffers[size_t(c)].size()));
  }
}

}  // namespace moesim::sims
