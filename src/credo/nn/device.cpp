#include "credo/nn/device.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <filesystem>
#include <optional>

#include "credo/core/error.h"

namespace credo::nn {

namespace {

// The CUDA device index `name` asks for: nullopt for "cpu"; throws for anything not spelled as a device.
std::optional<int> cuda_index(const std::string& name) {
  if (name == "cpu") return std::nullopt;
  if (name == "cuda") return 0;
  const std::string_view prefix = "cuda:";
  if (name.starts_with(prefix) && name.size() > prefix.size() && name.size() <= prefix.size() + 3 &&
      std::isdigit(static_cast<unsigned char>(name[prefix.size()])) != 0) {
    int index = 0;
    const auto* first = name.data() + prefix.size();
    const auto* last = name.data() + name.size();
    const auto [end, error] = std::from_chars(first, last, index);
    if (error == std::errc() && end == last) return index;
  }
  throw UsageError(fmt::format("device = \"{}\" is not a device; use {}", name, kDeviceNames));
}

// Loads libtorch_cuda.so from the folder of the libtorch_cpu.so this process runs on (the same wheel).
// Returns dlerror()'s text when it cannot.
std::optional<std::string> load_cuda_support() {
  static const std::optional<std::string> error = []() -> std::optional<std::string> {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&torch::set_num_threads), &info) == 0 || info.dli_fname == nullptr)
      return std::string("cannot locate libtorch_cpu.so in this process");
    const auto library = std::filesystem::path(info.dli_fname).parent_path() / "libtorch_cuda.so";
    if (dlopen(library.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
      const char* why = dlerror();
      return std::string(why != nullptr ? why : library.string() + " did not load");
    }
    return std::nullopt;
  }();
  return error;
}

}  // namespace

bool is_device_name(const std::string& name) {
  try {
    cuda_index(name);
    return true;
  } catch (const UsageError&) {
    return false;
  }
}

torch::Device select_device(const std::string& name) {
  const auto index = cuda_index(name);
  if (!index) return torch::kCPU;
  if (const auto error = load_cuda_support()) {
    throw UsageError(
        fmt::format("device = \"{}\": this LibTorch has no CUDA support ({}); use device = \"cpu\"", name,
                    error->substr(0, error->find('\n'))));
  }
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (count == 0) {
    throw UsageError(
        fmt::format("device = \"{}\": no CUDA device on this machine (LibTorch sees none); use "
                    "device = \"cpu\" or run where a GPU is",
                    name));
  }
  if (*index >= count) {
    throw UsageError(
        fmt::format("device = \"{}\": this machine has {} CUDA device{} (cuda:0{}); pick one of them", name,
                    count, count == 1 ? "" : "s", count == 1 ? "" : fmt::format(" to cuda:{}", count - 1)));
  }
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(*index)};
}

}  // namespace credo::nn
