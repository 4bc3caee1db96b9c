#pragma once
// The three policy heads credo's learners use. All act in the normalised action space [-1, 1]^A (the trainer
// maps it onto the env's bounds), so every head is independent of the task's action scale.
//
// - DeterministicActor: a = tanh(MLP(s)) (TD3, DDPG, SD3; sfujim/TD3 TD3.py).
// - SquashedGaussianActor: u ~ N(mu(s), sigma(s)), a = tanh(u), with the change-of-variables log-probability
//   (SAC, TSSG; Haarnoja et al. 2018, appendix C). log sigma is clamped to [-20, 2] as in SB3.
// - GaussianActor: a ~ N(mu(s), sigma) with a state-independent learned log sigma (PPO, CleanRL ppo_continuous_action.py); the
// env
//   clips the action.
#include <torch/torch.h>

#include "credo/nn/mlp.h"

namespace credo::nn {

class DeterministicActorImpl : public torch::nn::Module {
 public:
  DeterministicActorImpl(std::int64_t obs_dim, std::int64_t act_dim, const std::vector<std::int64_t>& hidden,
                         Activation activation = Activation::relu);
  torch::Tensor forward(const torch::Tensor& obs);  // [B, A] in [-1, 1]
  Mlp net{nullptr};
};
TORCH_MODULE(DeterministicActor);

struct SquashedSample {
  torch::Tensor action;    // [B, A] in (-1, 1)
  torch::Tensor log_prob;  // [B, 1]
};

class SquashedGaussianActorImpl : public torch::nn::Module {
 public:
  SquashedGaussianActorImpl(std::int64_t obs_dim, std::int64_t act_dim,
                            const std::vector<std::int64_t>& hidden,
                            Activation activation = Activation::relu);
  // Reparameterised sample from standard-normal noise `eps` [B, A] (drawn by the caller from its seeded Rng).
  SquashedSample sample(const torch::Tensor& obs, const torch::Tensor& eps);
  torch::Tensor deterministic(const torch::Tensor& obs);  // tanh(mu(s))
  Mlp net{nullptr};                                       // outputs [mu, log sigma]
  std::int64_t act_dim;
};
TORCH_MODULE(SquashedGaussianActor);

class GaussianActorImpl : public torch::nn::Module {
 public:
  // Orthogonal init as CleanRL's PPO: hidden layers gain sqrt(2), output gain 0.01, biases 0; log sigma 0.
  GaussianActorImpl(std::int64_t obs_dim, std::int64_t act_dim, const std::vector<std::int64_t>& hidden,
                    Activation activation = Activation::tanh);
  torch::Tensor mean(const torch::Tensor& obs);
  torch::Tensor log_prob(const torch::Tensor& mean, const torch::Tensor& action);  // [B, 1]
  torch::Tensor entropy() const;                                                   // [1], per sample
  Mlp net{nullptr};
  torch::Tensor log_std;  // [1, A]
};
TORCH_MODULE(GaussianActor);

// SD3's acting policy: two deterministic actors with their critics; each observation takes the action of the
// actor whose own critic values it higher (ling-pan/SD3 SD3.py). The learner trains the four networks held here.
class DoubleActorImpl : public torch::nn::Module {
 public:
  DoubleActorImpl(std::int64_t obs_dim, std::int64_t act_dim, const std::vector<std::int64_t>& hidden,
                  Activation activation = Activation::relu);
  torch::Tensor forward(const torch::Tensor& obs);  // [B, A]
  DeterministicActor actor0{nullptr}, actor1{nullptr};
  Mlp critic0{nullptr}, critic1{nullptr};  // on [s, a]
};
TORCH_MODULE(DoubleActor);

}  // namespace credo::nn
