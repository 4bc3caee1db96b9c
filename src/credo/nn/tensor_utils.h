#pragma once
// Small tensor helpers the learners share.
#include <torch/torch.h>

#include <span>
#include <vector>

#include "credo/core/rng.h"

namespace credo::nn {

// Standard-normal float tensor drawn from credo's Rng (not torch's global generator), so every random draw of
// a learner is seeded, reproducible and saved in checkpoints.
torch::Tensor normal_tensor(Rng& rng, std::int64_t rows, std::int64_t cols);

// A [1, n] float tensor of `values`.
torch::Tensor row_tensor(std::span<const double> values);

// L2 norm of all gradients of `params` together (zero for parameters without a gradient).
double grad_norm(const std::vector<torch::Tensor>& params);
// The same norm as a float64 tensor on the gradients' device, read later (UpdateStats::add) or never: no
// synchronisation, so it can be part of a CUDA graph. Needs at least one gradient.
torch::Tensor grad_norm_tensor(const std::vector<torch::Tensor>& params);

// Scales the gradients of `params` so that their global L2 norm is at most `max_norm`: the arithmetic of
// LibTorch's torch::nn::utils::clip_grad_norm_ (per-gradient norms, their norm, max_norm / (norm + 1e-6) clamped
// at 1, every gradient times that), so the results are the same bit for bit, without its final item(): no
// synchronisation, so it can be part of a CUDA graph.
void clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm);

// Parameters of several modules, for one optimizer over twin critics.
std::vector<torch::Tensor> parameters_of(std::initializer_list<const torch::nn::Module*> modules);

}  // namespace credo::nn
