#pragma once
// The networks SAC and TSSG share: a tanh-squashed Gaussian actor, twin critics on [s, a] with
// Polyak-averaged targets, and a learned temperature alpha = exp(log_alpha) with its target entropy -|A|.
// Each learner's file holds its own update; this holds what they own, its checkpointing and acting.
//
// Config keys read here: hidden, lr_actor, lr_critic, lr_alpha, alpha_init, auto_alpha.
#include <torch/torch.h>

#include <memory>

#include "credo/core/rng.h"
#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/rl/learner.h"

namespace credo::rl {

class SoftActorCritic {
 public:
  SoftActorCritic(const LearnerContext& context, const std::vector<std::int64_t>& hidden);

  // min(Q1, Q2)(s, a) of the critics or of their targets.
  torch::Tensor min_q(const torch::Tensor& obs, const torch::Tensor& action);
  torch::Tensor min_q_target(const torch::Tensor& obs, const torch::Tensor& action);
  torch::Tensor alpha() const { return log_alpha.detach().exp(); }
  // A sampled action (explore) or tanh(mu) for [1, obs_dim].
  torch::Tensor act(const torch::Tensor& obs, bool explore, Rng& rng);
  void soft_update_targets(double tau);

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);
  std::vector<std::pair<std::string, torch::nn::Module*>> modules();
  void save_policy(torch::serialize::OutputArchive& archive) const;

  std::int64_t obs_dim, act_dim;
  std::vector<std::int64_t> hidden;
  bool auto_alpha;
  double target_entropy;  // -|A| (SAC's "auto")
  nn::SquashedGaussianActor actor;
  nn::Mlp q1, q2, q1_target, q2_target;
  torch::Tensor log_alpha;
  std::unique_ptr<nn::Adam> actor_opt, critic_opt, alpha_opt;
};

}  // namespace credo::rl
