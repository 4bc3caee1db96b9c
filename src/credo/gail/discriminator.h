#pragma once
// The GAIL discriminator: an MLP on [s, a] returning a logit z, D = sigmoid(z) the probability that the pair
// is the expert's. Trained with binary cross-entropy from logits, expert label 1, imitator label 0 (the
// convention of DAC and HumanCompatibleAI/imitation), optionally with DAC's gradient penalty.
//
// Loss, as DAC's (google-research dac/gail.py, TF-GAN's modified_discriminator_loss): the weighted mean of
// the expert samples' cross-entropy plus the mean of the imitator samples', plus lambda times the penalty
// mean((||grad_x z(x)|| - 1)^2) at x = alpha x_imitator + (1 - alpha) x_expert, alpha ~ U(0, 1) per sample
// (Gulrajani et al. 2017, WGAN-GP; lambda = 10 in DAC). Inputs are [observation, action], actions the
// learners' normalised actions in [-1, 1]; observations raw as in DAC, or standardised with fixed statistics
// (the demonstrations' mean and std) when `obs_mean` and `obs_std` are given.
#include <torch/torch.h>

#include "credo/core/rng.h"
#include "credo/nn/adam.h"
#include "credo/nn/mlp.h"

namespace credo::gail {

// One update's statistics: one-element float64 tensors on the discriminator's device, read when needed (on a GPU
// each read is a synchronisation; UpdateStats reads them together once per step).
struct DiscriminatorUpdate {
  torch::Tensor loss;        // cross-entropy (plus the penalty term when on)
  torch::Tensor grad_norm;   // L2 norm of the gradient over all weights
  torch::Tensor acc_expert;  // share of expert samples with D > 0.5
  torch::Tensor acc_policy;  // share of imitator samples with D < 0.5
  torch::Tensor penalty;     // gradient penalty before its coefficient (0 when off)
};

class Discriminator {
 public:
  Discriminator(std::int64_t obs_dim, std::int64_t act_dim, const std::vector<std::int64_t>& hidden,
                nn::Activation activation, double lr, double gradient_penalty, torch::Tensor obs_mean = {},
                torch::Tensor obs_std = {});

  torch::Tensor logits(const torch::Tensor& obs, const torch::Tensor& actions);  // [B, 1]
  // `expert_weights` [B, 1] weighs each expert sample's cross-entropy (DAC: 1 / subsample on absorbing rows).
  DiscriminatorUpdate update(const torch::Tensor& expert_obs, const torch::Tensor& expert_actions,
                             const torch::Tensor& expert_weights, const torch::Tensor& policy_obs,
                             const torch::Tensor& policy_actions, Rng& rng);

  nn::Mlp& net() { return net_; }
  // The weights of `other`, a discriminator of the same sizes (copied exactly; its optimiser's state is not).
  void copy_weights_from(const Discriminator& other);
  // Moves the network, its optimiser and the input statistics to `device`; loads keep them there.
  void to(torch::Device device);
  torch::Device device() const { return device_; }
  std::int64_t obs_dim() const { return obs_dim_; }
  std::int64_t act_dim() const { return act_dim_; }
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  torch::Tensor inputs(const torch::Tensor& obs, const torch::Tensor& actions) const;

  std::int64_t obs_dim_, act_dim_;
  nn::Mlp net_{nullptr};
  std::unique_ptr<nn::Adam> optimizer_;
  double gradient_penalty_;
  torch::Tensor obs_mean_, obs_std_;
  torch::Device device_ = torch::kCPU;
};

}  // namespace credo::gail
