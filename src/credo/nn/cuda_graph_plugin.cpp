// libcredo_cuda_graph.so: nn/cuda_graph.h's graphs on LibTorch's at::cuda::CUDAGraph. Built only where the torch
// wheel has CUDA libraries and the CUDA runtime's headers (CMake option CREDO_CUDA_GRAPHS); loaded by
// make_cuda_graph() in cuda runs only.
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "credo/nn/cuda_graph.h"

namespace credo::nn {
namespace {

class LibTorchCudaGraph final : public CudaGraph {
 public:
  explicit LibTorchCudaGraph(int device_index)
      : device_(static_cast<c10::DeviceIndex>(device_index)),
        stream_(c10::cuda::getStreamFromPool(/*isHighPriority=*/false, device_)) {}

  void run_eagerly(const std::function<void()>& body) override {
    const c10::cuda::CUDAGuard on_device(device_);  // device_synchronize() waits for the current device only
    c10::cuda::device_synchronize();
    {
      const c10::cuda::CUDAStreamGuard guard(stream_);
      body();
    }
    c10::cuda::device_synchronize();
  }

  void capture(const std::function<void()>& body) override {
    const c10::cuda::CUDAGuard on_device(device_);
    c10::cuda::device_synchronize();  // the capture stream must see the inputs the caller has just written
    {
      const c10::cuda::CUDAStreamGuard guard(stream_);
      graph_.capture_begin();
      body();
      graph_.capture_end();
    }
    c10::cuda::device_synchronize();
  }

  void replay() override { graph_.replay(); }  // LibTorch's replay sets the capture's device itself

 private:
  c10::DeviceIndex device_;
  c10::cuda::CUDAStream stream_;
  at::cuda::CUDAGraph graph_;
};

}  // namespace
}  // namespace credo::nn

extern "C" credo::nn::CudaGraph* credo_make_cuda_graph(int device_index) {
  return new credo::nn::LibTorchCudaGraph(device_index);
}
