#pragma once
// What SAC and TSSG share: the networks (a tanh-squashed Gaussian actor, twin critics on [s, a] with
// Polyak-averaged targets, a learned temperature alpha = exp(log_alpha) with its target entropy -|A|),
// acting, checkpointing, and the soft critic step both updates take. Each learner's file holds its own
// update.
//
// Its options: SacOptions (learner_options.h).
#include <torch/torch.h>

#include <memory>

#include "credo/core/rng.h"
#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/rl/learner.h"
#include "credo/rl/off_policy_learner.h"

namespace credo::rl {

class SoftActorCritic {
 public:
  SoftActorCritic(const LearnerContext& context, const SacOptions& options);

  // min(Q1, Q2)(s, a) of the critics or of their targets.
  torch::Tensor min_q(const torch::Tensor& obs, const torch::Tensor& action);
  torch::Tensor min_q_target(const torch::Tensor& obs, const torch::Tensor& action);
  // alpha, and log alpha as the losses read it: [1], or a seed population's [N, 1, 1] (one per seed).
  torch::Tensor alpha() const { return per_seed(log_alpha.detach().exp()); }
  torch::Tensor log_alpha_per_seed() const { return per_seed(log_alpha); }
  // A sampled action (explore) or tanh(mu) for [1, obs_dim].
  torch::Tensor act(const torch::Tensor& obs, bool explore, Rng& rng);
  void soft_update_targets(double tau);

  void describe_state(nn::StateTable& state);
  void save_policy(torch::serialize::OutputArchive& archive) const;

  std::int64_t obs_dim, act_dim, population;
  std::vector<std::int64_t> hidden;
  bool auto_alpha;
  double target_entropy;  // -|A| (SAC's "auto")
  nn::SquashedGaussianActor actor;
  nn::Mlp q1, q2, q1_target, q2_target;
  torch::Tensor log_alpha;
  std::unique_ptr<nn::Adam> actor_opt, critic_opt, alpha_opt;

 private:
  torch::Tensor per_seed(const torch::Tensor& t) const { return population > 0 ? t.view({-1, 1, 1}) : t; }
};

class SoftActorCriticLearner : public OffPolicyLearner {
 protected:
  SoftActorCriticLearner(const LearnerContext& context, const SacOptions& options);

  // One soft policy evaluation step of the twin critics (Haarnoja et al. 2018, eq. 5-6):
  //   y = r + (1 - terminated) gamma (min_j Q'_j(s', a') - alpha log pi(a'|s')),  a' ~ next_actor(s'),
  // loss 0.5 (MSE(Q_1, y) + MSE(Q_2, y)), then the targets' Polyak step. Records loss_critic,
  // grad_norm_critic and the Q statistics; traces next_eps, target and loss_critic.
  void soft_critic_step(const Batch& b, nn::SquashedGaussianActor& next_actor, const torch::Tensor& alpha);
  // One actor step on E[alpha log pi(a|s) - min_j Q_j(s, a)], a = pi's reparameterised sample for `obs`.
  // Records loss_actor, grad_norm_actor, alpha and entropy.
  void soft_actor_step(const nn::SquashedSample& pi, const torch::Tensor& obs, const torch::Tensor& alpha);
  // With auto_alpha, one temperature step on -log(alpha) (log pi(a|s) + target_entropy), the target detached.
  void temperature_step(const torch::Tensor& log_prob);

  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    return n_.act(obs, explore, rng_);
  }
  void describe_networks(nn::StateTable& state) override { n_.describe_state(state); }
  bool supports_population() const override { return true; }  // sac and tssg
  void save_policy(torch::serialize::OutputArchive& archive) const override { n_.save_policy(archive); }

  SoftActorCritic n_;
};

}  // namespace credo::rl
