#include "figures/figure.hpp"

#include <algorithm>
#include <stdexcept>

namespace moesim::sims {
namespace {

std::vector<FigureKind>& registry() {
  static std::vector<FigureKind> kinds;  // built during static initialisation, read-only afterwards
  return kinds;
}

}  // namespace

bool register_figure(FigureKind kind) {
  auto& all = registry();
  if (kind.name.empty() || kind.example.empty())
    throw std::logic_error("register_figure: a figure kind needs a name and an example");
  if (kind.columns.empty() != !kind.row)
    throw std::logic_error("register_figure: '" + kind.name + "' has columns without a row function or the reverse");
  for (const auto& k : all)
    if (k.name == kind.name) throw std::logic_error("register_figure: two figure kinds named '" + kind.name + "'");
  const auto at = std::lower_bound(all.begin(), all.end(), kind.name,
                                   [](const FigureKind& k, const std::string& name) { return k.name < name; });
  all.insert(at, std::move(kind));
  return true;
}

const std::vector<FigureKind>& figure_kinds() { return registry(); }

const FigureKind* find_figure(const std::string& name) {
  for (const auto& k : registry())
    if (k.name == name) return &k;
  return nullptr;
}

const FigureKind& figure_named(const std::string& name) {
  if (const FigureKind* k = find_figure(name)) return *k;
  throw std::logic_error("no figure kind named '" + name + "'");
}

}  // namespace moesim::sims
