// The device a run learns on: its names and the machine's answer. (learner_test.cpp checks learners on a GPU
// where there is one.)
#include "credo/nn/device.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "credo/core/error.h"
#include "credo/nn/cuda_graph.h"

namespace credo::nn {
namespace {

TEST(DeviceNames, AreCpuCudaOrCudaWithAnIndex) {
  for (const char* name : {"cpu", "cuda", "cuda:0", "cuda:12"}) EXPECT_TRUE(is_device_name(name)) << name;
  for (const char* name : {"", "gpu", "CPU", "cuda:", "cuda:x", "cuda:-1", "cuda:1x", "cuda:1234", " cpu"})
    EXPECT_FALSE(is_device_name(name)) << name;
  EXPECT_THROW(select_device("gpu"), UsageError);
  EXPECT_EQ(select_device("cpu"), torch::Device(torch::kCPU));
}

// On a machine with a GPU, "cuda" is its first device; without one, one line that says so. An index past the
// machine's devices is refused either way.
TEST(SelectDevice, GivesTheMachinesGpuOrOneLineSayingWhy) {
  try {
    const auto device = select_device("cuda");
    EXPECT_EQ(device, torch::Device(torch::kCUDA, 0));
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.starts_with("device = \"cuda\": ")) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  try {
    select_device("cuda:99");
    FAIL() << "cuda:99 accepted";
  } catch (const UsageError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("device = \"cuda:99\": ")) << e.what();
  }
}

// The CUDA graph plugin, where the build made one (beside the binaries), loads on any machine: it links the
// wheel's CUDA libraries, which load without a GPU. Graphs themselves are made only on one
// (learner_test.cpp, CudaGraphs).
TEST(CudaGraphPlugin, LoadsWhereTheBuildMadeIt) {
  const auto plugin = std::filesystem::read_symlink("/proc/self/exe").parent_path() / "libcredo_cuda_graph.so";
  if (!std::filesystem::exists(plugin)) GTEST_SKIP() << "built without CUDA graphs (no " << plugin << ")";
  std::string why;
  EXPECT_TRUE(cuda_graphs_available(why)) << why;
}

}  // namespace
}  // namespace credo::nn
