#include "tasks/task.hpp"

#include <algorithm>
#include <stdexcept>

#include "usage_error.hpp"

namespace moesim::sims {
namespace {

std::vector<Task>& registry() {
  static std::vector<Task> tasks;  // built during static initialisation, read-only afterwards
  return tasks;
}

bool same_declaration(const OptionSpec& a, const OptionSpec& b) {
  return a.type == b.type && a.fallback == b.fallback && a.min == b.min && a.max == b.max && a.choices == b.choices &&
         a.excludes == b.excludes;
}

}  // namespace

const char* family_name(Family f) { return f == Family::Transformer ? "Transformer" : "one-layer"; }
const char* family_models(Family f) { return f == Family::Transformer ? "dense or moe" : "onelayer"; }
const char* family_model(Family f) { return f == Family::Transformer ? "dense" : "onelayer"; }
Family model_family(const std::string& model) { return model == "onelayer" ? Family::OneLayer : Family::Transformer; }

bool register_task(Task task) {
  auto& all = registry();
  if (task.name.empty() || !task.make) throw std::logic_error("register_task: a task needs a name and make()");
  for (const auto& t : all) {
    if (t.name == task.name) throw std::logic_error("register_task: two tasks named '" + task.name + "'");
    for (const auto& mine : task.options)
      for (const auto& theirs : t.options)
        if (mine.name == theirs.name && !same_declaration(mine, theirs))
          throw std::logic_error("register_task: option --" + mine.name + " of '" + task.name +
                                 "' is declared differently by '" + t.name + "'");
  }
  const auto at = std::lower_bound(all.begin(), all.end(), task.name,
                                   [](const Task& t, const std::string& name) { return t.name < name; });
  all.insert(at, std::move(task));
  return true;
}

const std::vector<Task>& tasks() { return registry(); }

const Task* find_task(const std::string& name) {
  for (const auto& t : registry())
    if (t.name == name) return &t;
  return nullptr;
}

const Task& task_named(const std::string& name) {
  if (const Task* t = find_task(name)) return *t;
  std::string accepted;
  for (const auto& t : registry()) accepted += (accepted.empty() ? "" : ", ") + t.name;
  throw UsageError("--task: '" + name + "' is not a task (accepted: " + accepted + ")");
}

}  // namespace moesim::sims
