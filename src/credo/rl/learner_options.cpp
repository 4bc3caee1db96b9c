#include "credo/rl/learner_options.h"

#include <fmt/format.h>

#include "credo/core/error.h"

namespace credo::rl {

OffPolicyOptions OffPolicyOptions::read(const config::OptionReader& r) {
  OffPolicyOptions o;
  o.hidden = r.layer_sizes("hidden");
  o.lr_actor = r.positive("lr_actor");
  o.lr_critic = r.positive("lr_critic");
  o.gamma = r.fraction("gamma");
  o.tau = r.fraction("tau");
  o.batch_size = r.positive_integer("batch_size");
  o.buffer_size = r.positive_integer("buffer_size");
  o.start_steps = r.at_least_zero("start_steps");
  o.updates_per_step = r.positive_integer("updates_per_step");
  if (r.has("critic_threads")) o.critic_threads = static_cast<int>(r.positive_integer("critic_threads"));
  if (r.has("cuda_graphs")) o.cuda_graphs = r.flag("cuda_graphs");
  return o;
}

ActionNoiseOptions ActionNoiseOptions::read(const config::OptionReader& r) {
  ActionNoiseOptions o;
  o.exploration_noise = r.non_negative("exploration_noise");
  o.target_noise = r.non_negative("target_noise");
  o.target_noise_clip = r.non_negative("target_noise_clip");
  return o;
}

Td3Options Td3Options::read(const config::OptionReader& r) {
  Td3Options o;
  o.off_policy = OffPolicyOptions::read(r);
  o.noise = ActionNoiseOptions::read(r);
  o.twin_critics = r.flag("twin_critics");
  o.policy_delay = r.positive_integer("policy_delay");
  o.orthogonal_init = r.choice("init", {"default", "orthogonal"}) == "orthogonal";
  o.actor_grad_clip = r.non_negative("actor_grad_clip");
  o.lr_actor_decay = r.number(
      "lr_actor_decay", [](double v) { return v > 0.0 && v <= 1.0; }, "in (0, 1] (1: constant)");
  o.lr_actor_decay_steps = r.positive_integer("lr_actor_decay_steps");
  o.actor_start = r.at_least_zero("actor_start");
  o.eval_target_actor = r.choice("eval_actor", {"actor", "target"}) == "target";
  return o;
}

Sd3Options Sd3Options::read(const config::OptionReader& r) {
  Sd3Options o;
  o.off_policy = OffPolicyOptions::read(r);
  o.noise = ActionNoiseOptions::read(r);
  o.beta = r.positive("beta");
  o.noise_samples = r.positive_integer("noise_samples");
  o.importance_sampling = r.flag("importance_sampling");
  return o;
}

SacOptions SacOptions::read(const config::OptionReader& r) {
  SacOptions o;
  o.off_policy = OffPolicyOptions::read(r);
  o.lr_alpha = r.positive("lr_alpha");
  o.alpha_init = r.positive("alpha_init");
  o.auto_alpha = r.flag("auto_alpha");
  return o;
}

TssgOptions TssgOptions::read(const config::OptionReader& r) {
  TssgOptions o;
  o.soft = SacOptions::read(r);
  o.evaluation_steps = r.positive_integer("evaluation_steps");
  o.improvement_steps = r.positive_integer("improvement_steps");
  return o;
}

PpoOptions PpoOptions::read(const config::OptionReader& r) {
  PpoOptions o;
  o.hidden = r.layer_sizes("hidden");
  o.activation = r.choice("activation", {"relu", "tanh", "none"});  // nn::parse_activation's names
  o.n_steps = r.positive_integer("n_steps");
  o.minibatch_size = r.positive_integer("minibatch_size");
  if (o.minibatch_size > o.n_steps) {
    r.reject("minibatch_size", fmt::format("at most n_steps ({})", o.n_steps));
  }
  o.epochs = r.positive_integer("epochs");
  o.lr = r.positive("lr");
  o.anneal_lr = r.flag("anneal_lr");
  o.gamma = r.fraction("gamma");
  o.gae_lambda = r.fraction("gae_lambda");
  o.clip_coef = r.positive("clip_coef");
  o.clip_value_loss = r.flag("clip_value_loss");
  o.ent_coef = r.non_negative("ent_coef");
  o.vf_coef = r.non_negative("vf_coef");
  o.max_grad_norm = r.positive("max_grad_norm");
  o.normalize_obs = r.flag("normalize_obs");
  o.obs_clip = r.positive("obs_clip");
  o.normalize_reward = r.flag("normalize_reward");
  o.reward_clip = r.positive("reward_clip");
  return o;
}

BcOptions BcOptions::read(const config::OptionReader& r) {
  BcOptions o;
  o.hidden = r.layer_sizes("hidden");
  o.lr = r.positive("lr");
  o.batch_size = r.positive_integer("batch_size");
  return o;
}

LearnerOptions LearnerOptions::read(const config::OptionReader& r) {
  LearnerOptions o;
  o.algo = r.text("algo");
  if (o.algo == "td3" || o.algo == "ddpg")
    o.of = Td3Options::read(r);
  else if (o.algo == "sd3")
    o.of = Sd3Options::read(r);
  else if (o.algo == "sac")
    o.of = SacOptions::read(r);
  else if (o.algo == "tssg")
    o.of = TssgOptions::read(r);
  else if (o.algo == "ppo")
    o.of = PpoOptions::read(r);
  else if (o.algo == "bc")
    o.of = BcOptions::read(r);
  else
    throw UsageError(fmt::format("unknown algo '{}'", o.algo));
  return o;
}

double LearnerOptions::discount() const {
  struct Discount {
    double operator()(const Td3Options& o) const { return o.off_policy.gamma; }
    double operator()(const Sd3Options& o) const { return o.off_policy.gamma; }
    double operator()(const SacOptions& o) const { return o.off_policy.gamma; }
    double operator()(const TssgOptions& o) const { return o.soft.off_policy.gamma; }
    double operator()(const PpoOptions& o) const { return o.gamma; }
    double operator()(const BcOptions&) const { return 0.0; }
  };
  return std::visit(Discount{}, of);
}

}  // namespace credo::rl
