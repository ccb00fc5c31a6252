// Built with CUDA: the CUDA backend lives in a module of its own (libmoesim_cuda.so, models/CMakeLists.txt)
// that is loaded on first use, so that moesim links neither cudart nor cuBLAS and the commands that need
// no GPU start without them (`moesim --help`: 220 MB resident and 0.5 s with them, 6 MB and 0.02 s
// without). The module is looked for, in order:
//   1. $MOESIM_CUDA_MODULE, when set (and nowhere else then);
//   2. beside the executable (build/moesim, or a carried-over build folder);
//   3. BIN/../lib, where `cmake --install` puts it (and where scripts/gpu-check stages it);
//   4. where this build wrote it (the tests binary in build/tests/).
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <type_traits>

#include "cuda/module_abi.hpp"
#include "device_info.hpp"

namespace moesim::models {
namespace {

namespace fs = std::filesystem;

struct Module {
  const CudaModuleApi* api = nullptr;
  std::string error;  // one line: why api is null
};

std::string loader_error() {
  const char* e = dlerror();
  return e ? e : "unknown error";
}

// Never closed: backends made by the module run its code until the process ends.
Module open(const fs::path& path) {
  const std::string where = "the CUDA module " + path.string();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return {nullptr, "cannot load " + where + ": " + loader_error()};
  const auto entry = reinterpret_cast<const CudaModuleApi* (*)()>(dlsym(handle, kCudaModuleEntry));
  if (!entry) return {nullptr, where + " is not a moesim CUDA module: " + loader_error()};
  const CudaModuleApi* api = entry();
  if (api->abi != kCudaModuleAbi || std::strcmp(api->interface, MOESIM_CUDA_INTERFACE) != 0)
    return {nullptr, where + " was built by another version of moesim (interface " + std::to_string(api->abi) + "/" +
                         (api->abi == kCudaModuleAbi ? api->interface : "?") + ", this moesim's " +
                         std::to_string(kCudaModuleAbi) + "/" + MOESIM_CUDA_INTERFACE + "): rebuild or reinstall it"};
  return {api, ""};
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

Module find() {
  if (const char* env = std::getenv("MOESIM_CUDA_MODULE"); env && *env) return open(env);
  std::vector<fs::path> places;
  if (const fs::path exe = executable_dir(); !exe.empty()) {
    places.push_back(exe / MOESIM_CUDA_MODULE_NAME);
    places.push_back((exe / MOESIM_CUDA_MODULE_LIBDIR / MOESIM_CUDA_MODULE_NAME).lexically_normal());
  }
  places.push_back(MOESIM_CUDA_MODULE_BUILT);
  std::string tried;
  for (const auto& p : places) {
    std::error_code ec;
    if (fs::exists(p, ec)) return open(p);  // the first one found, even if it fails: a broken module is not skipped
    tried += (tried.empty() ? "" : ", ") + p.string();
  }
  return {nullptr, "cannot find the CUDA module (tried " + tried + "; set MOESIM_CUDA_MODULE to its path)"};
}

// Loaded once, by the first thread that asks (a function-local static is initialised exactly once).
const Module& module() {
  static const Module m = find();
  return m;
}

}  // namespace

bool cuda_compiled() { return true; }

std::string cuda_module_error() { return module().error; }

std::vector<GpuInfo> cuda_devices() {
  const Module& m = module();
  return m.api ? m.api->devices() : std::vector<GpuInfo>{};
}

template <class T>
std::unique_ptr<Backend<T>> make_cuda_backend(MatmulPrecision precision) {
  const Module& m = module();
  if (!m.api) throw std::runtime_error(m.error);
  if constexpr (std::is_same_v<T, float>) return std::unique_ptr<Backend<T>>(m.api->backend_f32(int(precision)));
  else return std::unique_ptr<Backend<T>>(m.api->backend_f64(int(precision)));
}
template std::unique_ptr<Backend<float>> make_cuda_backend<float>(MatmulPrecision);
template std::unique_ptr<Backend<double>> make_cuda_backend<double>(MatmulPrecision);

}  // namespace moesim::models
