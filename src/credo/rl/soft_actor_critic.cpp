#include "credo/rl/soft_actor_critic.h"

#include <cmath>

#include "credo/nn/tensor_utils.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

SoftActorCritic::SoftActorCritic(const LearnerContext& c, const SacOptions& o)
    : obs_dim(c.obs_dim),
      act_dim(c.act_dim),
      population(c.population),
      hidden(o.off_policy.hidden),
      auto_alpha(o.auto_alpha),
      target_entropy(-static_cast<double>(c.act_dim)),
      actor(obs_dim, act_dim, hidden),
      q1(obs_dim + act_dim, hidden, 1),
      q2(obs_dim + act_dim, hidden, 1),
      q1_target(obs_dim + act_dim, hidden, 1),
      q2_target(obs_dim + act_dim, hidden, 1),
      log_alpha(torch::full({1}, std::log(o.alpha_init)).requires_grad_(true)) {
  nn::hard_update(*q1_target, *q1);
  nn::hard_update(*q2_target, *q2);
  actor_opt = std::make_unique<nn::Adam>(actor->parameters(), o.off_policy.lr_actor);
  critic_opt = std::make_unique<nn::Adam>(nn::parameters_of({q1.get(), q2.get()}), o.off_policy.lr_critic);
  alpha_opt = std::make_unique<nn::Adam>(std::vector<torch::Tensor>{log_alpha}, o.lr_alpha);
}

torch::Tensor SoftActorCritic::min_q(const torch::Tensor& obs, const torch::Tensor& action) {
  const auto input = torch::cat({obs, action}, -1);
  return torch::min(q1->forward(input), q2->forward(input));
}

torch::Tensor SoftActorCritic::min_q_target(const torch::Tensor& obs, const torch::Tensor& action) {
  const auto input = torch::cat({obs, action}, -1);
  return torch::min(q1_target->forward(input), q2_target->forward(input));
}

torch::Tensor SoftActorCritic::act(const torch::Tensor& obs, bool explore, Rng& rng) {
  if (!explore) return actor->deterministic(obs);
  return actor->sample(obs, nn::normal_tensor(rng, 1, act_dim).to(obs.device())).action;
}

void SoftActorCritic::soft_update_targets(double tau) {
  nn::soft_update(*q1_target, *q1, tau);
  nn::soft_update(*q2_target, *q2, tau);
}

void SoftActorCritic::describe_state(nn::StateTable& state) {
  state.module("actor", *actor);
  state.module("critic0", *q1);
  state.module("critic1", *q2);
  state.module("critic_target0", *q1_target);
  state.module("critic_target1", *q2_target);
  state.tensor("log_alpha", log_alpha);
  state.optimizer("actor_opt", *actor_opt);
  state.optimizer("critic_opt", *critic_opt);
  state.optimizer("alpha_opt", *alpha_opt);
}

void SoftActorCritic::save_policy(torch::serialize::OutputArchive& archive) const {
  write_policy_head(archive, {"squashed_gaussian", obs_dim, act_dim, hidden, "relu", std::nullopt, 0.0},
                    *actor);
}

SoftActorCriticLearner::SoftActorCriticLearner(const LearnerContext& c, const SacOptions& o)
    : OffPolicyLearner(c, o.off_policy,
                       {"loss_critic", "loss_actor", "loss_alpha", "grad_norm_critic", "grad_norm_actor",
                        "alpha", "entropy", "q_mean", "q_max", "q_min", "target_mean"}),
      n_(c, o) {}

void SoftActorCriticLearner::soft_critic_step(const Batch& b, nn::SquashedGaussianActor& next_actor,
                                              const torch::Tensor& alpha) {
  torch::Tensor y;
  {
    torch::NoGradGuard no_grad;
    const auto next_eps = normal_noise(batch_size_, act_dim_);
    trace("next_eps", next_eps);
    const auto next = next_actor->sample(b.next_observations, next_eps);
    y = b.rewards + (1.0 - b.terminated) * gamma_ *
                        (n_.min_q_target(b.next_observations, next.action) - alpha * next.log_prob);
  }
  trace("target", y);
  const auto input = torch::cat({b.observations, b.actions}, -1);
  torch::Tensor q1;
  n_.critic_opt->zero_grad();
  const auto terms = backward_each({[&] {
                                      q1 = n_.q1->forward(input);
                                      return 0.5 * mse(q1, y);
                                    },
                                    [&] { return 0.5 * mse(n_.q2->forward(input), y); }});
  const auto critic_loss = terms[0].detach() + terms[1].detach();
  stats_.add("grad_norm_critic", grad_norms(n_.critic_opt->params()));
  n_.critic_opt->step();
  trace("loss_critic", critic_loss);
  n_.soft_update_targets(tau_);
  stats_.add("loss_critic", critic_loss);
  stats_.add_q(q1, y);
}

void SoftActorCriticLearner::soft_actor_step(const nn::SquashedSample& pi, const torch::Tensor& obs,
                                             const torch::Tensor& alpha) {
  const auto actor_loss = batch_mean(alpha * pi.log_prob - n_.min_q(obs, pi.action));
  n_.actor_opt->zero_grad();
  backward(actor_loss);
  stats_.add("grad_norm_actor", grad_norms(n_.actor->parameters()));
  n_.actor_opt->step();
  trace("loss_actor", actor_loss);
  stats_.add("loss_actor", actor_loss);
  stats_.add("alpha", alpha);
  stats_.add("entropy", -batch_mean(pi.log_prob));
}

void SoftActorCriticLearner::temperature_step(const torch::Tensor& log_prob) {
  if (!n_.auto_alpha) return;
  const auto alpha_loss = -batch_mean(n_.log_alpha_per_seed() * (log_prob.detach() + n_.target_entropy));
  n_.alpha_opt->zero_grad();
  backward(alpha_loss);
  n_.alpha_opt->step();
  trace("loss_alpha", alpha_loss);
  stats_.add("loss_alpha", alpha_loss);
}

}  // namespace credo::rl
