#include "credo/nn/cuda_graph.h"

#include <dlfcn.h>

#include <filesystem>

namespace credo::nn {

namespace {

constexpr const char* kPlugin = "libcredo_cuda_graph.so";

// The plugin's entry point, from beside the binary (or library) this code is linked into, else from the build
// folder it was built in (for a binary or library that lives elsewhere). Sets `why` when neither loads.
decltype(&credo_make_cuda_graph) load_plugin(std::string& why) {
  static std::string error;
  static const auto entry = []() -> decltype(&credo_make_cuda_graph) {
    std::vector<std::filesystem::path> candidates;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&make_cuda_graph), &info) != 0 && info.dli_fname != nullptr)
      candidates.push_back(std::filesystem::path(info.dli_fname).parent_path() / kPlugin);
    candidates.push_back(std::filesystem::path(CREDO_BUILD_DIR) / kPlugin);
    for (const auto& path : candidates) {
      if (!std::filesystem::exists(path)) continue;
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* text = dlerror();
        error = text != nullptr ? text : path.string() + " did not load";
        return nullptr;
      }
      if (void* symbol = dlsym(handle, "credo_make_cuda_graph"))
        return reinterpret_cast<decltype(&credo_make_cuda_graph)>(symbol);
      error = path.string() + " has no credo_make_cuda_graph";
      return nullptr;
    }
    error = std::string(kPlugin) + " is not beside the binary (credo was built without CUDA graphs)";
    return nullptr;
  }();
  if (entry == nullptr) why = error.substr(0, error.find('\n'));
  return entry;
}

}  // namespace

bool cuda_graphs_available(std::string& why) { return load_plugin(why) != nullptr; }

std::unique_ptr<CudaGraph> make_cuda_graph(torch::Device device, std::string& why) {
  const auto entry = load_plugin(why);
  if (entry == nullptr) return nullptr;
  return std::unique_ptr<CudaGraph>(entry(device.has_index() ? device.index() : 0));
}

}  // namespace credo::nn
