#include "credo/rl/soft_actor_critic.h"

#include <cmath>

#include "credo/nn/archive.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

SoftActorCritic::SoftActorCritic(const LearnerContext& c, const std::vector<std::int64_t>& hidden_sizes)
    : obs_dim(c.obs_dim),
      act_dim(c.act_dim),
      hidden(hidden_sizes),
      auto_alpha(c.config.get_bool("auto_alpha")),
      target_entropy(-static_cast<double>(c.act_dim)),
      actor(obs_dim, act_dim, hidden),
      q1(obs_dim + act_dim, hidden, 1),
      q2(obs_dim + act_dim, hidden, 1),
      q1_target(obs_dim + act_dim, hidden, 1),
      q2_target(obs_dim + act_dim, hidden, 1),
      log_alpha(torch::full({1}, std::log(c.config.get_double("alpha_init"))).requires_grad_(true)) {
  nn::hard_update(*q1_target, *q1);
  nn::hard_update(*q2_target, *q2);
  actor_opt = std::make_unique<nn::Adam>(actor->parameters(), c.config.get_double("lr_actor"));
  critic_opt =
      std::make_unique<nn::Adam>(nn::parameters_of({q1.get(), q2.get()}), c.config.get_double("lr_critic"));
  alpha_opt =
      std::make_unique<nn::Adam>(std::vector<torch::Tensor>{log_alpha}, c.config.get_double("lr_alpha"));
}

torch::Tensor SoftActorCritic::min_q(const torch::Tensor& obs, const torch::Tensor& action) {
  const auto input = torch::cat({obs, action}, 1);
  return torch::min(q1->forward(input), q2->forward(input));
}

torch::Tensor SoftActorCritic::min_q_target(const torch::Tensor& obs, const torch::Tensor& action) {
  const auto input = torch::cat({obs, action}, 1);
  return torch::min(q1_target->forward(input), q2_target->forward(input));
}

torch::Tensor SoftActorCritic::act(const torch::Tensor& obs, bool explore, Rng& rng) {
  if (!explore) return actor->deterministic(obs);
  return actor->sample(obs, nn::normal_tensor(rng, 1, act_dim)).action;
}

void SoftActorCritic::soft_update_targets(double tau) {
  nn::soft_update(*q1_target, *q1, tau);
  nn::soft_update(*q2_target, *q2, tau);
}

void SoftActorCritic::save(torch::serialize::OutputArchive& archive) const {
  nn::write_module(archive, "actor", *actor);
  nn::write_module(archive, "critic0", *q1);
  nn::write_module(archive, "critic1", *q2);
  nn::write_module(archive, "critic_target0", *q1_target);
  nn::write_module(archive, "critic_target1", *q2_target);
  archive.write("log_alpha", log_alpha);
  nn::write_optimizer(archive, "actor_opt", *actor_opt);
  nn::write_optimizer(archive, "critic_opt", *critic_opt);
  nn::write_optimizer(archive, "alpha_opt", *alpha_opt);
}

void SoftActorCritic::load(torch::serialize::InputArchive& archive) {
  nn::read_module(archive, "actor", *actor);
  nn::read_module(archive, "critic0", *q1);
  nn::read_module(archive, "critic1", *q2);
  nn::read_module(archive, "critic_target0", *q1_target);
  nn::read_module(archive, "critic_target1", *q2_target);
  torch::Tensor saved;
  archive.read("log_alpha", saved);
  {
    torch::NoGradGuard no_grad;
    log_alpha.copy_(saved);
  }
  nn::read_optimizer(archive, "actor_opt", *actor_opt);
  nn::read_optimizer(archive, "critic_opt", *critic_opt);
  nn::read_optimizer(archive, "alpha_opt", *alpha_opt);
}

std::vector<std::pair<std::string, torch::nn::Module*>> SoftActorCritic::modules() {
  return {{"actor", actor.get()},
          {"critic0", q1.get()},
          {"critic1", q2.get()},
          {"critic_target0", q1_target.get()},
          {"critic_target1", q2_target.get()}};
}

void SoftActorCritic::save_policy(torch::serialize::OutputArchive& archive) const {
  write_policy_head(archive, {"squashed_gaussian", obs_dim, act_dim, hidden, "relu", std::nullopt, 0.0},
                    *actor);
}

}  // namespace credo::rl
