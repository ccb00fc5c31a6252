#include "checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "models/atomic_file.hpp"

namespace moesim::models {
namespace {

using nlohmann::json;

template <class T>
constexpr const char* dtype_name() {
  return sizeof(T) == 4 ? "F32" : "F64";
}

struct Parsed {
  json header;
  std::string data;  // everything after the header
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw CheckpointError("checkpoint " + path + ": " + what);
}

Parsed parse(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.size() < 8) fail(path, "shorter than the 8-byte header length (truncated?)");
  uint64_t len = 0;
  for (int i = 7; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(bytes[i]);
  if (len > bytes.size() - 8) fail(path, "header length " + std::to_string(len) + " exceeds the file (truncated?)");
  Parsed p;
  try {
    p.header = json::parse(bytes.substr(8, len));
  } catch (const json::exception&) {
    fail(path, "the header is not valid JSON (corrupted?)");
  }
  if (!p.header.is_object()) fail(path, "the header is not a JSON object");
  p.data = bytes.substr(8 + len);
  return p;
}

// Reads tensor `name` of `count` elements into dst, checking dtype, shape and bounds.
template <class T>
void read_tensor(const std::string& path, const Parsed& p, const std::string& name,
                 const std::vector<int>& shape, T* dst) {
  if (!p.header.contains(name)) fail(path, "tensor '" + name + "' is missing");
  const json& t = p.header[name];
  try {
    if (t.at("dtype").get<std::string>() != dtype_name<T>())
      fail(path, "tensor '" + name + "' has dtype " + t.at("dtype").get<std::string>() + ", expected " +
                     dtype_name<T>());
    if (t.at("shape").get<std::vector<int>>() != shape)
      fail(path, "tensor '" + name + "' has shape " + t.at("shape").dump() + ", the model expects " +
                     json(shape).dump());
    const auto offsets = t.at("data_offsets").get<std::vector<uint64_t>>();
    size_t count = 1;
    for (int d : shape) count *= size_t(d);
    if (offsets.size() != 2 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != count * sizeof(T) ||
        offsets[1] > p.data.size())
      fail(path, "tensor '" + name + "' has data offsets outside the file (truncated or corrupted)");
    std::memcpy(dst, p.data.data() + offsets[0], count * sizeof(T));
  } catch (const json::exception& e) {
    fail(path, "tensor '" + name + "' has a malformed entry: " + e.what());
  }
}

}  // namespace

template <class T>
void save_checkpoint(const std::string& path, ParamStore<T>& store,
                     const std::map<std::string, std::string>& metadata) {
  const auto params = store.download(store.params());
  const auto m = store.download(store.m());
  const auto v = store.download(store.v());
  json header;
  header["__metadata__"] = metadata;
  const size_t bytes = store.size() * sizeof(T);
  for (const auto& view : store.table().views())
    header[view.name] = {{"dtype", dtype_name<T>()},
                         {"shape", view.shape},
                         {"data_offsets", {view.offset * sizeof(T), (view.offset + view.size) * sizeof(T)}}};
  header["optimizer.m"] = {{"dtype", dtype_name<T>()}, {"shape", {store.size()}}, {"data_offsets", {bytes, 2 * bytes}}};
  header["optimizer.v"] = {{"dtype", dtype_name<T>()}, {"shape", {store.size()}}, {"data_offsets", {2 * bytes, 3 * bytes}}};
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the format pads the header to 8 bytes with spaces
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((uint64_t(text.size()) >> (8 * i)) & 0xFF);
  out += text;
  for (const auto* buf : {&params, &m, &v}) out.append(reinterpret_cast<const char*>(buf->data()), bytes);
  write_file_atomic(path, out);
}

std::map<std::string, std::string> read_checkpoint_metadata(const std::string& path) {
  const Parsed p = parse(path);
  if (!p.header.contains("__metadata__")) fail(path, "no __metadata__ (not a moesim checkpoint)");
  try {
    return p.header["__metadata__"].get<std::map<std::string, std::string>>();
  } catch (const json::exception&) {
    fail(path, "__metadata__ is not a map of strings");
  }
}

void check_checkpoint_shapes(const std::string& path, const ParamTable& table) {
  const Parsed p = parse(path);
  for (const auto& view : table.views()) {
    if (!p.header.contains(view.name)) fail(path, "tensor '" + view.name + "' is missing");
    const json& t = p.header[view.name];
    if (!t.is_object() || !t.contains("shape") || t["shape"] != json(view.shape))
      fail(path, "tensor '" + view.name + "' has shape " + (t.is_object() && t.contains("shape") ? t["shape"].dump() : "none") +
                     ", but the config in __metadata__ makes it " + json(view.shape).dump() +
                     " (the file contradicts itself)");
  }
}

template <class T>
void load_checkpoint(const std::string& path, ParamStore<T>& store) {
  const Parsed p = parse(path);
  std::vector<T> params(store.size()), m(store.size(), T(0)), v(store.size(), T(0));
  for (const auto& view : store.table().views()) {
    read_tensor(path, p, view.name, view.shape, params.data() + view.offset);
    const auto first = params.begin() + long(view.offset);
    if (!std::all_of(first, first + long(view.size), [](T x) { return std::isfinite(x); }))
      fail(path, "tensor '" + view.name + "' holds NaN or infinite values (the weights of a diverged run are no model)");
  }
  const std::vector<int> flat{int(store.size())};
  if (p.header.contains("optimizer.m")) read_tensor(path, p, "optimizer.m", flat, m.data());
  if (p.header.contains("optimizer.v")) read_tensor(path, p, "optimizer.v", flat, v.data());
  store.upload(store.params(), params);  // only after every check passed
  store.upload(store.m(), m);
  store.upload(store.v(), v);
}

template void save_checkpoint<float>(const std::string&, ParamStore<float>&, const std::map<std::string, std::string>&);
template void save_checkpoint<double>(const std::string&, ParamStore<double>&, const std::map<std::string, std::string>&);
template void load_checkpoint<float>(const std::string&, ParamStore<float>&);
template void load_checkpoint<double>(const std::string&, ParamStore<double>&);

}  // namespace moesim::models
