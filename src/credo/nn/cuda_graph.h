#pragma once
// CUDA graphs: a sequence of GPU work captured once and replayed with one launch (issue 19; the off-policy
// update is a few hundred small kernels, and launching them one by one is most of its time on a GPU: 5.0-5.5 ms
// eager against 0.54 ms replayed, td3 in PyTorch on an H200, docs/benchmarks.md).
//
// LibTorch's graph class (at::cuda::CUDAGraph) lives in libtorch_cuda.so, which credo loads only for cuda runs
// (nn/device.h), so the class is reached through a small plugin library built beside the binary
// (libcredo_cuda_graph.so, linked against libtorch_cuda) and loaded with dlopen on first use.
//
// What a captured body may do: only device work on tensors whose storage stays put (parameters, optimiser
// state, fixed input tensors the caller refills before each replay); no host reads of device values (item(),
// to(kCPU)), no host-side random draws, no allocation that must outlive the graph outside its outputs.
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

namespace credo::nn {

class CudaGraph {
 public:
  virtual ~CudaGraph() = default;
  // Runs `body` eagerly on the graph's own stream, the device synchronised before and after: the warm-up runs a
  // capture needs (cuBLAS and autograd set themselves up lazily, per stream).
  virtual void run_eagerly(const std::function<void()>& body) = 0;
  // Records `body` on the graph's stream without running it. Capture once.
  virtual void capture(const std::function<void()>& body) = 0;
  // Runs what was captured on the current stream, after the work already queued there.
  virtual void replay() = 0;
};

// Whether graphs can be made here; `why` says why not, in one line (the plugin is missing or does not load).
bool cuda_graphs_available(std::string& why);
// A new, empty graph on CUDA `device`; nullptr, with `why` set, when cuda_graphs_available() is false.
std::unique_ptr<CudaGraph> make_cuda_graph(torch::Device device, std::string& why);

}  // namespace credo::nn

// The plugin's one entry point (cuda_graph_plugin.cpp).
extern "C" credo::nn::CudaGraph* credo_make_cuda_graph(int device_index);
