#pragma once
// Seed populations: the networks of N seeds of one configuration held as one network whose every parameter is
// stacked along a first seed dimension ([N, ...]), so that one batched matrix product per layer serves every
// seed (nn/mlp.h). Each seed's own networks stay as they are (checkpoints, policy files, acting) but their
// parameters become views of their slice of the stacked ones: what the population learns, each seed's
// networks hold, and loading a seed's checkpoint writes into its slice.
//
// The losses of a population are per seed and summed before the backward pass; as no seed's loss depends on
// another seed's parameters, each seed's gradient is the one it would get alone.
#include <torch/torch.h>

#include <vector>

namespace credo::nn {

// Stacks the parameters of `members` (same layout as `population`) into `population`'s parameters, in place
// (they keep their identity), and makes each member's parameters views of its slice.
void stack_parameters(torch::nn::Module& population, const std::vector<torch::nn::Module*>& members);
// The same for one tensor each (a learner's state tensors, such as SAC's log alpha).
void stack_tensor(torch::Tensor& population, const std::vector<torch::Tensor*>& members);

// L2 norm of each seed's gradients of `params` ([N, ...] each), as a float64 [N] tensor; no synchronisation.
torch::Tensor seed_grad_norms(const std::vector<torch::Tensor>& params);
// Scales each seed's gradients so that their L2 norm is at most `max_norm` (clip_grad_norm per seed).
void clip_seed_grad_norms(const std::vector<torch::Tensor>& params, double max_norm);

}  // namespace credo::nn
