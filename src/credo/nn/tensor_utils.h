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

// Parameters of several modules, for one optimizer over twin critics.
std::vector<torch::Tensor> parameters_of(std::initializer_list<const torch::nn::Module*> modules);

}  // namespace credo::nn
