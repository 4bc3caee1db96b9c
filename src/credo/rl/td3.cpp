// TD3 (Fujimoto, van Hoof, Meger 2018, "Addressing Function Approximation Error in Actor-Critic Methods") and
// DDPG as the TD3 authors' "OurDDPG" (sfujim/TD3 TD3.py and OurDDPG.py): the same update with one critic, no
// target noise and no policy delay. configs/learners/td3.toml and ddpg.toml hold the two configurations.
//
// Config keys: twin_critics, target_noise, target_noise_clip, policy_delay, exploration_noise, lr_actor,
// lr_critic (plus the off-policy keys). Noise scales are in the normalised action space, i.e. multiples of
// max_action as in the reference.
//
// What DAC's TD3 adds (Kostrikov et al. 2019; google-research dac/ddpg_td3.py, common.py,
// lfd_training_worker.py), each off unless set (configs/learners/td3.toml sets them for imitation):
// - init = "orthogonal": orthogonal weights, gain 1, the actor's last layer 0.01, zero biases;
// - actor_grad_clip: the actor's gradient clipped to this global norm (DAC: 40; 0 = off);
// - lr_actor_decay, lr_actor_decay_steps: the actor's learning rate times lr_actor_decay every
//   lr_actor_decay_steps env steps (DAC: 0.5 every 1e5; 1 = constant);
// - actor_start: critic updates before the first actor update (DAC's policy_updates_delay, 1000); until then
//   only the critics and their targets learn.
// The update is written once for one seed and for a seed population (its losses, norms and clips through
// OffPolicyLearner's per-seed helpers; tensors [B, .] or [N, B, .]).
// And credo's own: eval_actor = "target" evaluates and writes the target actor (the online actor's Polyak
// average, tau per actor update) instead of the online one; imitation sets it (configs/learners/td3.toml).
#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "credo/core/error.h"
#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

namespace {

class Td3 final : public OffPolicyLearner {
 public:
  Td3(const LearnerContext& c, const Td3Options& o)
      : OffPolicyLearner(c, o.off_policy,
                         {"loss_critic", "loss_actor", "grad_norm_critic", "grad_norm_actor", "q_mean",
                          "q_max", "q_min", "target_mean"}),
        twin_(o.twin_critics),
        target_noise_(o.noise.target_noise),
        target_noise_clip_(o.noise.target_noise_clip),
        policy_delay_(o.policy_delay),
        exploration_noise_(o.noise.exploration_noise),
        actor_grad_clip_(o.actor_grad_clip),
        lr_actor_(o.off_policy.lr_actor),
        lr_actor_decay_(o.lr_actor_decay),
        lr_actor_decay_steps_(o.lr_actor_decay_steps),
        actor_start_(o.actor_start),
        actor_(obs_dim_, act_dim_, hidden_),
        actor_target_(obs_dim_, act_dim_, hidden_) {
    if (o.eval_target_actor) eval_actor_ = EvalActor::kTarget;
    const bool orthogonal = o.orthogonal_init;
    if (orthogonal) nn::orthogonal_init(actor_->net, 1.0, 0.01);
    for (int i = 0; i < (twin_ ? 2 : 1); ++i) {
      critics_.emplace_back(obs_dim_ + act_dim_, hidden_, 1);
      critic_targets_.emplace_back(obs_dim_ + act_dim_, hidden_, 1);
      if (orthogonal) nn::orthogonal_init(critics_.back(), 1.0, 1.0);
      nn::hard_update(*critic_targets_.back(), *critics_.back());
    }
    nn::hard_update(*actor_target_, *actor_);
    std::vector<torch::Tensor> critic_params;
    for (auto& q : critics_)
      for (auto& p : q->parameters()) critic_params.push_back(p);
    actor_opt_ = std::make_unique<nn::Adam>(actor_->parameters(), o.off_policy.lr_actor);
    critic_opt_ = std::make_unique<nn::Adam>(critic_params, o.off_policy.lr_critic);
  }

 private:
  nn::DeterministicActor policy_actor() const {
    return eval_actor_ == EvalActor::kTarget ? actor_target_ : actor_;
  }

  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    if (!explore) return policy_actor()->forward(obs);
    return (actor_->forward(obs) + exploration_noise_ * normal_noise(1, act_dim_)).clamp(-1.0, 1.0);
  }

  // The schedule is decided on the host first; update() then holds only device work, so that on a GPU each
  // variant (critics only; critics and their targets before actor_start; everything, at each actor learning
  // rate) is one CUDA graph (off_policy_learner.h).
  void train_step() override {
    const bool actor_turn = ++critic_updates_ % policy_delay_ == 0;  // actor and targets every policy_delay
    const bool actor_learns = actor_turn && critic_updates_ > actor_start_;
    std::int64_t decays = 0;
    if (actor_learns && lr_actor_decay_ != 1.0) decays = env_steps() / lr_actor_decay_steps_;
    if (actor_learns) actor_opt_->set_lr(lr_actor_ * std::pow(lr_actor_decay_, static_cast<double>(decays)));
    if (actor_learns && decays > decays_) forget_update(2 + std::exchange(decays_, decays));  // never again
    const std::int64_t variant = actor_learns ? 2 + decays : actor_turn ? 1 : 0;
    run_update(variant, [&, actor_turn, actor_learns] { update(actor_turn, actor_learns); });
  }

  void update(bool actor_turn, bool actor_learns) {
    const Batch b = sample_batch();

    // Target: y = r + (1 - terminated) * gamma * min_i Q'_i(s', clip(pi'(s') + clip(noise))). Truncation
    // bootstraps (only true termination stops it).
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      auto next_action = actor_target_->forward(b.next_observations);
      if (target_noise_ > 0.0) {
        const auto noise = (normal_noise(batch_size_, act_dim_) * target_noise_)
                               .clamp(-target_noise_clip_, target_noise_clip_);
        trace("target_noise", noise);
        next_action = (next_action + noise).clamp(-1.0, 1.0);
      }
      const auto next_input = torch::cat({b.next_observations, next_action}, -1);
      auto next_q = critic_targets_[0]->forward(next_input);
      for (std::size_t i = 1; i < critic_targets_.size(); ++i) {
        next_q = torch::min(next_q, critic_targets_[i]->forward(next_input));
      }
      y = b.rewards + (1.0 - b.terminated) * gamma_ * next_q;
    }
    trace("target", y);

    // Critics: sum over critics of MSE(Q_i(s, a), y); each critic's term and backward pass are independent.
    const auto input = torch::cat({b.observations, b.actions}, -1);
    torch::Tensor q1;
    std::vector<std::function<torch::Tensor()>> terms;
    for (std::size_t i = 0; i < critics_.size(); ++i) {
      terms.emplace_back([&, i] {
        auto q = critics_[i]->forward(input);
        if (i == 0) q1 = q.detach();
        return mse(q, y);
      });
    }
    critic_opt_->zero_grad();
    torch::Tensor critic_loss = torch::zeros({}, y.options());
    for (const auto& term : backward_each(terms)) critic_loss = critic_loss + term.detach();
    stats_.add("grad_norm_critic", grad_norms(critic_opt_->params()));
    critic_opt_->step();
    trace("loss_critic", critic_loss);
    stats_.add("loss_critic", critic_loss);
    stats_.add_q(q1, y);

    // Actor and all targets every policy_delay critic updates: maximise Q_1(s, pi(s)). Before actor_start
    // critic updates, only the critics' targets move.
    if (!actor_turn) return;
    if (actor_learns) {
      const auto actor_loss = -batch_mean(
          critics_[0]->forward(torch::cat({b.observations, actor_->forward(b.observations)}, -1)));
      actor_opt_->zero_grad();
      backward(actor_loss);
      const auto actor_params = actor_->parameters();
      stats_.add("grad_norm_actor", grad_norms(actor_params));  // before the clip
      if (actor_grad_clip_ > 0.0) clip_grads(actor_params, actor_grad_clip_);
      actor_opt_->step();
      trace("loss_actor", actor_loss);
      stats_.add("loss_actor", actor_loss);
      nn::soft_update(*actor_target_, *actor_, tau_);
    }
    for (std::size_t i = 0; i < critics_.size(); ++i)
      nn::soft_update(*critic_targets_[i], *critics_[i], tau_);
  }

  bool supports_population() const override { return true; }

  void describe_networks(nn::StateTable& state) override {
    state.integer("critic_updates", critic_updates_);
    state.module("actor", *actor_);
    state.module("actor_target", *actor_target_);
    for (std::size_t i = 0; i < critics_.size(); ++i) {
      state.module("critic" + std::to_string(i), *critics_[i]);
      state.module("critic_target" + std::to_string(i), *critic_targets_[i]);
    }
    state.optimizer("actor_opt", *actor_opt_);
    state.optimizer("critic_opt", *critic_opt_);
  }

  void save_policy(torch::serialize::OutputArchive& archive) const override {
    write_policy_head(archive, {"deterministic", obs_dim_, act_dim_, hidden_, "relu", std::nullopt, 0.0},
                      *policy_actor());
  }

  bool twin_;
  double target_noise_, target_noise_clip_;
  std::int64_t policy_delay_;
  double exploration_noise_;
  double actor_grad_clip_, lr_actor_, lr_actor_decay_;
  std::int64_t lr_actor_decay_steps_, actor_start_;
  std::int64_t critic_updates_ = 0;
  std::int64_t decays_ = 0;  // the actor's learning-rate decays so far (which update variant is current)
  nn::DeterministicActor actor_, actor_target_;
  std::vector<nn::Mlp> critics_, critic_targets_;
  std::unique_ptr<nn::Adam> actor_opt_, critic_opt_;
};

}  // namespace

std::unique_ptr<Learner> make_td3(const LearnerContext& context, const Td3Options& options) {
  return std::make_unique<Td3>(context, options);
}

}  // namespace credo::rl
