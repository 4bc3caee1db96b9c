#pragma once
// Where a run's networks live: config key `device` ("cpu", the default, or "cuda" / "cuda:N").
//
// credo's binaries link LibTorch's CPU library only: the torch wheel's CUDA library (libtorch_cuda.so) adds
// about 0.2 s and 370 MB to every process that loads it (measured on `credo --version`), and most runs never
// touch a GPU. A run that asks for cuda loads it then, from beside the libtorch_cpu.so the process already
// uses; loading it registers LibTorch's CUDA backend.
#include <torch/torch.h>

#include <string>

namespace credo::nn {

// What a device name may be, for messages.
inline constexpr std::string_view kDeviceNames = "'cpu', 'cuda' or 'cuda:N' (N: a GPU's index, from 0)";

// Whether `name` is spelled as a device (the options' read checks only this, before anything is written, so a
// sweep for GPUs can be checked and submitted from a machine without one).
bool is_device_name(const std::string& name);

// The device `name` stands for on this machine: loads CUDA support for "cuda" and checks that the device is
// there. Throws UsageError (one line, exit 2) without CUDA support, without a GPU, or for an index past the
// machine's devices.
torch::Device select_device(const std::string& name);

}  // namespace credo::nn
