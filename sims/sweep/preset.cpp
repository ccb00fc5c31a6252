#include "sweep/preset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "figures/figure.hpp"
#include "data_paths.hpp"
#include "sweep/fnv_hash.hpp"
#include "tasks/task.hpp"
#include "usage_error.hpp"

namespace moesim::sims {
namespace {

// Options a preset may not set: the sweep decides them (seed from `seeds`, the rest from its command line).
const std::set<std::string> kReserved = {"seed", "out", "threads", "device", "config"};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node& at, const std::string& key, const std::string& what) const {
    throw UsageError(path_ + ":" + std::to_string(at.source().begin.line) + ": " + key + ": " + what);
  }

  // A scalar as the command line would carry it.
  std::string text(const toml::node& node, const std::string& key) const {
    if (node.is_string()) return *node.value<std::string>();
    if (node.is_integer()) return std::to_string(*node.value<int64_t>());
    if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
    if (node.is_floating_point()) return number_text(*node.value<double>());
    fail(node, key, "must be a string, number or boolean");
  }

  // A run option: known, not reserved, and its value accepted by the parser on its own.
  void option(const toml::node& node, const std::string& key, Options& into) const {
    if (kReserved.count(key))
      fail(node, key, "is set by the sweep, not the preset (seeds = [...] sets seeds; --device, --threads-per-job on the command line)");
    if (!is_run_option(key)) fail(node, key, "is not an option of moesim train (see moesim train --help)");
    const std::string value = text(node, key);
    try {
      // The value alone: a task that takes the option and a model of its family will do.
      const RunOption* opt = find_run_option(key);
      const Task& any = opt->tasks.empty() ? tasks().front() : task_named(opt->tasks.front());
      parse_run_options({{key, value}}, {{"task", any.name}, {"model", family_model(any.family)}});
    } catch (const UsageError& e) {
      fail(node, key, e.what());
    }
    into[key] = value;
  }

  long integer(const toml::node& node, const std::string& key, long lo, long hi) const {
    if (!node.is_integer()) fail(node, key, "must be an integer");
    const long v = long(*node.value<int64_t>());
    if (v < lo || v > hi) fail(node, key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  }

  double number(const toml::node& node, const std::string& key, double lo, double hi) const {
    if (!node.is_number()) fail(node, key, "must be a number");
    const double v = *node.value<double>();
    if (!(v >= lo && v <= hi)) fail(node, key, text(node, key) + " is out of range (accepted: " + std::to_string(lo) + " to " + std::to_string(hi) + ")");
    return v;
  }

  std::string string(const toml::node& node, const std::string& key) const {
    if (!node.is_string()) fail(node, key, "must be a string");
    return *node.value<std::string>();
  }

  const toml::table& table(const toml::node& node, const std::string& key) const {
    if (!node.is_table()) fail(node, key, "must be a table");
    return *node.as_table();
  }

  const toml::array& array(const toml::node& node, const std::string& key) const {
    if (!node.is_array() || node.as_array()->empty()) fail(node, key, "must be a non-empty list");
    return *node.as_array();
  }

  Search search(const toml::table& t, const std::string& where) const {
    Search s;
    bool have_min = false, have_max = false, have_start = false;
    for (const auto& [k, node] : t) {
      const std::string key = where + "." + std::string(k.str());
      if (k == "key") {
        s.key = string(node, key);
        if (!is_run_option(s.key) || kReserved.count(s.key)) fail(node, key, "'" + s.key + "' is not a run option");
      } else if (k == "min") {
        s.min = integer(node, key, 0, 1L << 40), have_min = true;
      } else if (k == "max") {
        s.max = integer(node, key, 0, 1L << 40), have_max = true;
      } else if (k == "step") {
        s.step = integer(node, key, 1, 1L << 40);
      } else if (k == "start") {
        s.start = integer(node, key, 0, 1L << 40), have_start = true;
      } else if (k == "goal") {
        const auto g = string(node, key);
        if (g != "smallest" && g != "largest") fail(node, key, "'" + g + "' (accepted: smallest, largest)");
        s.smallest = g == "smallest";
      } else if (k == "target") {
        s.target = number(node, key, 0.0, 1.0);
      } else if (k == "resolution") {
        s.resolution = number(node, key, 0.0, 1.0);
      } else {
        fail(node, key, "unknown key (accepted: key, min, max, step, start, goal, target, resolution)");
      }
    }
    if (s.key.empty() || !have_min || !have_max) fail(t, where, "needs key, min and max");
    if (s.min > s.max) fail(t, where, "min must not exceed max");
    if (!have_start) s.start = s.min;
    if (s.start < s.min || s.start > s.max) fail(t, where + ".start", "must lie in [min, max]");
    return s;
  }

  Section section(const std::string& name, const toml::table& t) const {
    Section s;
    s.name = name;
    s.line = int(t.source().begin.line);
    // The kind first: it says which keys of its own the section may have.
    const toml::node* kind_node = t.get("kind");
    if (!kind_node) fail(t, name, "needs kind");
    s.kind = string(*kind_node, name + ".kind");
    const FigureKind* kind = find_figure(s.kind);
    if (!kind) {
      std::string accepted;
      for (const auto& k : figure_kinds()) accepted += (accepted.empty() ? "" : ", ") + k.name;
      fail(*kind_node, name + ".kind", "'" + s.kind + "' (accepted: " + accepted + ")");
    }
    std::string own_keys;
    for (const auto& key : kind->keys) {
      own_keys += ", " + key.name;
      s.params[key.name] = key.fallback;
    }
    for (const auto& [k, node] : t) {
      const std::string key = name + "." + std::string(k.str());
      const auto own = std::find_if(kind->keys.begin(), kind->keys.end(), [&](const SectionKey& sk) { return sk.name == k.str(); });
      if (k == "kind") {
        continue;
      } else if (own != kind->keys.end()) {
        s.params[own->name] = own->integer ? double(integer(node, key, long(own->min), long(own->max)))
                                           : number(node, key, own->min, own->max);
      } else if (k == "title") {
        s.title = string(node, key);
      } else if (k == "seeds") {
        std::set<uint64_t> seen;
        for (const auto& v : array(node, key)) {
          const uint64_t seed = uint64_t(integer(v, key, 0, 1L << 62));
          if (!seen.insert(seed).second) fail(v, key, "seed " + std::to_string(seed) + " appears twice");
          s.seeds.push_back(seed);
        }
      } else if (k == "fixed") {
        for (const auto& [ok, ov] : table(node, key)) option(ov, std::string(ok.str()), s.fixed);
      } else if (k == "axes") {
        for (const auto& [ak, av] : table(node, key)) {
          const std::string axis = key + "." + std::string(ak.str());
          std::vector<std::pair<std::string, Options>> values;
          for (const auto& v : array(av, axis)) {
            Options o;
            std::string label;
            if (v.is_table()) {  // options set together
              for (const auto& [vk, vv] : *v.as_table()) {
                if (vk == "label") label = string(vv, axis + ".label");
                else option(vv, std::string(vk.str()), o);
              }
            } else {
              option(v, std::string(ak.str()), o);
            }
            values.push_back({label, o});
          }
          s.axes.push_back(std::move(values));
        }
      } else if (k == "search") {
        s.search = search(table(node, key), key);
      } else {
        fail(node, key, "unknown key (accepted: kind, title, seeds, fixed, axes, search" + own_keys + ")");
      }
    }
    if (s.seeds.empty()) fail(t, name, "needs seeds = [...]");
    for (const auto& key : kind->keys)
      if (key.required && !t.contains(key.name)) fail(t, name, "kind " + s.kind + " needs " + key.name + " (" + key.help + ")");
    if (kind->check) {
      try {
        kind->check(s);
      } catch (const UsageError& e) {
        fail(t, name, e.what());
      }
    }
    // Every point, whole, with the searched value at both ends of its range.
    for (const auto& p : s.points()) {
      std::vector<Options> ends{p.options};
      if (s.search) {
        ends = {p.options, p.options};
        ends[0][s.search->key] = std::to_string(s.search->min);
        ends[1][s.search->key] = std::to_string(s.search->max);
      }
      for (const auto& o : ends) {
        try {
          check_run_options(parse_run_options(o));
        } catch (const UsageError& e) {
          std::string at;
          for (const auto& [k, v] : p.axes) at += (at.empty() ? "" : " ") + k + "=" + v;
          fail(t, name, "the point {" + at + "}: " + e.what());
        }
      }
    }
    return s;
  }

 private:
  std::string path_;
};

}  // namespace

std::vector<Point> Section::points() const {
  std::vector<Point> out{{"", {}, fixed}};
  for (const auto& axis : axes) {
    std::vector<Point> next;
    for (const auto& p : out)
      for (const auto& [label, values] : axis) {
        Point q = p;
        if (!label.empty()) q.label = q.label.empty() ? label : q.label + " " + label;
        for (const auto& [k, v] : values) q.axes[k] = q.options[k] = v;
        next.push_back(std::move(q));
      }
    out = std::move(next);
  }
  if (const auto& expand = figure_named(kind).expand) expand(*this, out);
  return out;
}

Preset load_preset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot read the preset (accepted: a TOML file, or a name under sims/presets/)");
  std::stringstream bytes;
  bytes << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(bytes.str(), path);
  } catch (const toml::parse_error& e) {
    throw UsageError(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  Reader r(path);
  Preset p;
  p.path = path;
  p.hash = fnv1a_hex(bytes.str());
  p.name = std::filesystem::path(path).stem().string();
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    if (key == "name") p.name = r.string(node, key);
    else if (key == "description") p.description = r.string(node, key);
    else if (node.is_table()) p.sections.push_back(r.section(key, *node.as_table()));
    else r.fail(node, key, "unknown key (accepted: name, description, and one table per figure)");
  }
  if (p.sections.empty()) throw UsageError(path + ": no figure tables (a preset has at least one [name] table with a kind)");
  return p;
}

std::string resolve_preset(const std::string& name) {
  namespace fs = std::filesystem;
  if (fs::exists(name) || name.find('/') != std::string::npos || name.ends_with(".toml")) return name;
  return (fs::path(data_paths().presets) / (name + ".toml")).string();
}

}  // namespace moesim::sims
