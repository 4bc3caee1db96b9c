// SD3: Softmax Deep Double Deterministic Policy Gradients (Pan, Cai, Huang, NeurIPS 2020), as the authors'
// code ling-pan/SD3 does it (SD3.py): two actors and two critics, each with a target. Each training step
// runs, for i = 1 then 2 and on a fresh batch each time: the softmax target from actor i's target, an update
// of critic i, an update of actor i against critic i, and Polyak averaging of both targets of i. No policy
// delay.
//
// The softmax operator softmax_beta(Q(s', .)) is estimated from K noisy target actions
//   a_k = clip(pi'_i(s') + clip(eps_k, -c, c), -1, 1),  eps_k ~ N(0, sigma^2),
//   q_k = min(Q'_1(s', a_k), Q'_2(s', a_k)),
//   softmax = sum_k w_k q_k / sum_k w_k,  w_k = exp(beta (q_k - max_j q_j))  [ / N(eps_k; 0, sigma) with
//   importance sampling, on the unclipped noise ].
// Acting takes the action of the actor whose own critic scores it higher, plus Gaussian exploration noise.
//
// Config keys: beta, noise_samples (K), importance_sampling, target_noise, target_noise_clip,
// exploration_noise, lr_actor, lr_critic, plus the off-policy keys.
#include <cmath>
#include <numbers>

#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

namespace {

class Sd3 final : public OffPolicyLearner {
 public:
  Sd3(const LearnerContext& c, const Sd3Options& o)
      : OffPolicyLearner(c, o.off_policy,
                         {"loss_critic", "loss_actor", "grad_norm_critic", "grad_norm_actor", "q_mean",
                          "q_max", "q_min", "target_mean"}),
        beta_(o.beta),
        noise_samples_(o.noise_samples),
        importance_sampling_(o.importance_sampling),
        target_noise_(o.noise.target_noise),
        target_noise_clip_(o.noise.target_noise_clip),
        exploration_noise_(o.noise.exploration_noise) {
    actors_ = {policy_->actor0, policy_->actor1};
    critics_ = {policy_->critic0, policy_->critic1};
    for (int i = 0; i < 2; ++i) {
      actor_targets_.emplace_back(obs_dim_, act_dim_, hidden_);
      nn::hard_update(*actor_targets_[i], *actors_[i]);
      critic_targets_.emplace_back(obs_dim_ + act_dim_, hidden_, 1);
      nn::hard_update(*critic_targets_[i], *critics_[i]);
      actor_opts_.push_back(std::make_unique<nn::Adam>(actors_[i]->parameters(), o.off_policy.lr_actor));
      critic_opts_.push_back(std::make_unique<nn::Adam>(critics_[i]->parameters(), o.off_policy.lr_critic));
    }
  }

 private:
  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    auto a = policy_->forward(obs);
    if (explore) a = (a + exploration_noise_ * normal_noise(1, act_dim_)).clamp(-1.0, 1.0);
    return a;
  }

  // softmax_beta of min(Q'_1, Q'_2) over K noisy actions around actor i's target action; [B, 1] (a
  // population's [N, B, 1]: every shape below has the seed dimension in front, `lead`).
  torch::Tensor softmax_target_value(std::size_t i, const torch::Tensor& next_obs) {
    const std::int64_t b = next_obs.size(-2), k = noise_samples_;
    const auto lead = next_obs.sizes().slice(0, static_cast<std::size_t>(next_obs.dim() - 2));
    const auto shape = [&](std::initializer_list<std::int64_t> tail) {
      std::vector<std::int64_t> out(lead.begin(), lead.end());
      out.insert(out.end(), tail);
      return out;
    };
    const auto base = actor_targets_[i]->forward(next_obs);  // [B, A]
    const auto eps = normal_noise(b * k, act_dim_).view(shape({b, k, act_dim_})) * target_noise_;
    trace("target_noise" + std::to_string(i), eps);
    const auto actions =
        (base.unsqueeze(-2) + eps.clamp(-target_noise_clip_, target_noise_clip_)).clamp(-1.0, 1.0);
    const auto obs_k = next_obs.unsqueeze(-2).expand(shape({b, k, obs_dim_}));
    const auto input = torch::cat({obs_k, actions}, -1).view(shape({b * k, obs_dim_ + act_dim_}));
    const auto q = torch::min(critic_targets_[0]->forward(input), critic_targets_[1]->forward(input))
                       .view(shape({b, k}));
    auto log_w = beta_ * (q - std::get<0>(q.max(-1, true)));
    if (importance_sampling_) {
      // Divide by the Gaussian density of the unclipped noise: subtract its log.
      const double log_norm =
          static_cast<double>(act_dim_) * (std::log(target_noise_) + 0.5 * std::log(2.0 * std::numbers::pi));
      log_w = log_w + (0.5 * (eps / target_noise_).pow(2)).sum(-1) + log_norm;
    }
    const auto w = torch::exp(log_w - std::get<0>(log_w.max(-1, true)));
    return ((w * q).sum(-1, true) / w.sum(-1, true));
  }

  // All device work, the same every time: one CUDA graph on a GPU (off_policy_learner.h).
  void train_step() override {
    run_update(0, [this] { update(); });
  }

  // Each network kind reports one gradient norm per update, over both networks' gradients (as td3's critic
  // norm covers its twin critics): two norms under one name would reach the explosion monitor as two
  // successive updates of one network, and while one actor stayed above its threshold every update would
  // count as an onset.
  void update() {
    torch::Tensor critic_sq, actor_sq;
    for (std::size_t i = 0; i < 2; ++i) {
      const Batch b = sample_batch();
      torch::Tensor y;
      {
        torch::NoGradGuard no_grad;
        y = b.rewards + (1.0 - b.terminated) * gamma_ * softmax_target_value(i, b.next_observations);
      }
      trace("target" + std::to_string(i), y);

      const auto q = critics_[i]->forward(torch::cat({b.observations, b.actions}, -1));
      const auto critic_loss = mse(q, y);
      critic_opts_[i]->zero_grad();
      backward(critic_loss);
      critic_sq = add_square(critic_sq, grad_norms(critics_[i]->parameters()));
      critic_opts_[i]->step();
      trace("loss_critic" + std::to_string(i), critic_loss);

      const auto actor_loss = -batch_mean(
          critics_[i]->forward(torch::cat({b.observations, actors_[i]->forward(b.observations)}, -1)));
      actor_opts_[i]->zero_grad();
      backward(actor_loss);
      actor_sq = add_square(actor_sq, grad_norms(actors_[i]->parameters()));
      actor_opts_[i]->step();
      trace("loss_actor" + std::to_string(i), actor_loss);

      nn::soft_update(*actor_targets_[i], *actors_[i], tau_);
      nn::soft_update(*critic_targets_[i], *critics_[i], tau_);

      stats_.add("loss_critic", critic_loss);
      stats_.add("loss_actor", actor_loss);
      stats_.add_q(q, y);
    }
    stats_.add("grad_norm_critic", critic_sq.sqrt());
    stats_.add("grad_norm_actor", actor_sq.sqrt());
  }

  static torch::Tensor add_square(const torch::Tensor& sum, const torch::Tensor& norm) {
    return sum.defined() ? sum + norm.square() : norm.square();
  }

  bool supports_population() const override { return true; }

  void describe_networks(nn::StateTable& state) override {
    for (std::size_t i = 0; i < 2; ++i) {
      const std::string n = std::to_string(i);
      state.module("actor" + n, *actors_[i]);
      state.module("actor_target" + n, *actor_targets_[i]);
      state.module("critic" + n, *critics_[i]);
      state.module("critic_target" + n, *critic_targets_[i]);
      state.optimizer("actor_opt" + n, *actor_opts_[i]);
      state.optimizer("critic_opt" + n, *critic_opts_[i]);
    }
  }

  // The policy file holds both actors and their critics: acting picks between them.
  void save_policy(torch::serialize::OutputArchive& archive) const override {
    write_policy_head(
        archive, {"double_deterministic", obs_dim_, act_dim_, hidden_, "relu", std::nullopt, 0.0}, *policy_);
  }

  double beta_;
  std::int64_t noise_samples_;
  bool importance_sampling_;
  double target_noise_, target_noise_clip_, exploration_noise_;
  nn::DoubleActor policy_{obs_dim_, act_dim_, hidden_};  // owns both actors and both critics
  std::vector<nn::DeterministicActor> actors_, actor_targets_;
  std::vector<nn::Mlp> critics_, critic_targets_;
  std::vector<std::unique_ptr<nn::Adam>> actor_opts_, critic_opts_;
};

}  // namespace

std::unique_ptr<Learner> make_sd3(const LearnerContext& context, const Sd3Options& options) {
  return std::make_unique<Sd3>(context, options);
}

}  // namespace credo::rl
