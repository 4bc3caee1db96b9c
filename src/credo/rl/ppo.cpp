// PPO with the clipped surrogate objective (Schulman et al. 2017), set up as CleanRL's
// ppo_continuous_action.py for MuJoCo (vwxyzjn/cleanrl): Gaussian policy with state-independent log sigma,
// separate tanh 64-64 actor and critic with orthogonal init, GAE(0.95), per-minibatch advantage
// normalisation, clipped value loss, global gradient clipping at 0.5, Adam eps 1e-5 with the learning rate
// annealed linearly to 0, and Gymnasium's NormalizeObservation (then clip to +-10) and NormalizeReward (then
// clip to +-10).
//
// Reward normalisation runs over each rollout in order when the rollout is complete, which is what the
// wrapper computes step by step, so it also applies to rewards relabelled by a reward source. A time-limit
// end is not terminal: its (normalised) reward gets + gamma V(final observation), as SB3 does.
//
// Config keys: n_steps, minibatch_size, epochs, lr, anneal_lr, gae_lambda, clip_coef, clip_value_loss,
// ent_coef, vf_coef, max_grad_norm, normalize_obs, obs_clip, normalize_reward, reward_clip, hidden,
// activation, gamma.
#include <algorithm>
#include <numeric>

#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/nn/adam.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/running_mean_std.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/policy_file.h"
#include "credo/rl/rollout_buffer.h"

namespace credo::rl {

namespace {

class Ppo final : public Learner {
 public:
  Ppo(const LearnerContext& c, const PpoOptions& o)
      : Learner({"loss_actor", "loss_critic", "grad_norm_actor", "grad_norm_critic", "entropy", "approx_kl",
                 "policy_clip_fraction", "q_mean", "q_max", "q_min", "lr"}),
        obs_dim_(c.obs_dim),
        act_dim_(c.act_dim),
        hidden_(o.hidden),
        activation_(o.activation),
        n_steps_(o.n_steps),
        minibatch_size_(o.minibatch_size),
        epochs_(o.epochs),
        lr_(o.lr),
        anneal_lr_(o.anneal_lr),
        gamma_(o.gamma),
        gae_lambda_(o.gae_lambda),
        clip_coef_(o.clip_coef),
        clip_value_loss_(o.clip_value_loss),
        ent_coef_(o.ent_coef),
        vf_coef_(o.vf_coef),
        max_grad_norm_(o.max_grad_norm),
        normalize_obs_(o.normalize_obs),
        obs_clip_(o.obs_clip),
        normalize_reward_(o.normalize_reward),
        reward_clip_(o.reward_clip),
        total_updates_(std::max<std::int64_t>(1, c.total_steps / n_steps_)),
        rng_(c.seed ^ 0x9e3779b97f4a7c15ULL),
        actor_(obs_dim_, act_dim_, hidden_, nn::parse_activation(activation_)),
        critic_(obs_dim_, hidden_, 1, nn::parse_activation(activation_)),
        obs_rms_(static_cast<std::size_t>(obs_dim_)),
        return_rms_(1),
        buffer_(n_steps_, obs_dim_, act_dim_),
        obs_norm_(static_cast<std::size_t>(obs_dim_)),
        action_(static_cast<std::size_t>(act_dim_)) {
    nn::orthogonal_init(critic_, std::sqrt(2.0), 1.0);
    optimizer_ = std::make_unique<nn::Adam>(nn::parameters_of({actor_.get(), critic_.get()}), lr_, 1e-5);
  }

  void act(std::span<const double> obs, bool explore, std::span<float> action) override {
    torch::NoGradGuard no_grad;
    if (explore && normalize_obs_) obs_rms_.update(obs);
    const auto x = policy_input(obs);
    const auto mean = actor_->mean(x);
    if (!explore) {
      const auto m = mean.clamp(-1.0, 1.0).to(torch::kCPU).contiguous();
      std::copy_n(m.data_ptr<float>(), action.size(), action.begin());
      return;
    }
    const auto a = mean + actor_->log_std.exp() * on_device(nn::normal_tensor(rng_, 1, act_dim_));
    pending_log_prob_ = actor_->log_prob(mean, a).item<float>();
    pending_value_ = critic_->forward(x).item<float>();
    const auto ac = a.to(torch::kCPU).contiguous();
    std::copy_n(ac.data_ptr<float>(), action.size(), action_.begin());
    std::copy_n(ac.data_ptr<float>(), action.size(), action.begin());  // the trainer clips it to the bounds
  }

  void observe(const Transition& t) override {
    buffer_.add(obs_norm_, t.obs, action_, pending_log_prob_, pending_value_, static_cast<float>(t.reward),
                t.next_obs, t.terminated, t.truncated);
    if (t.truncated) buffer_.truncation_values.emplace_back(buffer_.size() - 1, value_of(t.next_obs));
    if (!buffer_.full()) return;
    const float last_value = (t.terminated || t.truncated) ? 0.0f : value_of(t.next_obs);
    update(last_value);
    buffer_.clear();
  }

  // The partial rollout too, so a resumed run completes it (checkpoints from before it was kept have none:
  // their run collects a fresh rollout).
  void describe_state(nn::StateTable& state) override {
    state.module("actor", *actor_);
    state.module("critic", *critic_);
    state.rng("rng", rng_);
    state.real("return_accumulator", return_accumulator_);
    state.optimizer("optimizer", *optimizer_);
    state.part("obs_rms", obs_rms_);
    state.part("return_rms", return_rms_);
    state.optional_part("rollout", buffer_);
  }

  void save_policy(torch::serialize::OutputArchive& archive) const override {
    PolicyHead head{"gaussian", obs_dim_, act_dim_, hidden_, activation_, std::nullopt, obs_clip_};
    if (normalize_obs_) head.obs_normalizer = obs_rms_;
    write_policy_head(archive, head, *actor_);
  }

 private:
  // The policy's input for a raw observation (normalised and clipped when normalize_obs); also kept in
  // obs_norm_ for the rollout buffer.
  torch::Tensor policy_input(std::span<const double> obs) {
    if (normalize_obs_) {
      obs_rms_.normalize(obs, obs_norm_, obs_clip_);
    } else {
      std::copy(obs.begin(), obs.end(), obs_norm_.begin());
    }
    obs_float_.assign(obs_norm_.begin(), obs_norm_.end());
    return on_device(torch::from_blob(obs_float_.data(), {1, obs_dim_}).clone());
  }

  float value_of(std::span<const double> obs) {
    torch::NoGradGuard no_grad;
    std::vector<double> normalized(obs.size());
    if (normalize_obs_) {
      obs_rms_.normalize(obs, normalized, obs_clip_);
    } else {
      normalized.assign(obs.begin(), obs.end());
    }
    return critic_->forward(on_device(nn::row_tensor(normalized))).item<float>();
  }

  void update(float last_value) {
    const auto n = static_cast<std::size_t>(n_steps_);
    std::vector<float> rewards = buffer_.rewards;
    if (reward_source_) {
      torch::NoGradGuard no_grad;
      const auto r =
          reward_source_
              ->rewards(on_device(buffer_.raw_observations), on_device(buffer_.actions.clamp(-1.0, 1.0)),
                        on_device(buffer_.raw_next_observations),
                        on_device(torch::tensor(buffer_.terminated).reshape({-1, 1})))
              .to(torch::kCPU)
              .contiguous();
      std::copy_n(r.data_ptr<float>(), n, rewards.begin());
    }
    // NormalizeReward: G <- G gamma (1 - terminated) + r; r / sqrt(var(G) + eps), clipped.
    if (normalize_reward_) {
      for (std::size_t k = 0; k < n; ++k) {
        return_accumulator_ = return_accumulator_ * gamma_ * (1.0 - buffer_.terminated[k]) + rewards[k];
        return_rms_.update(std::span<const double>(&return_accumulator_, 1));
        double r = rewards[k] / std::sqrt(return_rms_.var()[0] + nn::RunningMeanStd::epsilon);
        if (reward_clip_ > 0) r = std::clamp(r, -reward_clip_, reward_clip_);
        rewards[k] = static_cast<float>(r);
      }
    }
    for (const auto& [k, value] : buffer_.truncation_values)
      rewards[static_cast<std::size_t>(k)] += static_cast<float>(gamma_) * value;

    std::vector<float> ended(n), advantages(n), returns(n);
    for (std::size_t k = 0; k < n; ++k) ended[k] = std::max(buffer_.terminated[k], buffer_.truncated[k]);
    compute_gae(rewards, buffer_.values, ended, last_value, gamma_, gae_lambda_, advantages, returns);
    trace("rewards", torch::tensor(rewards));
    trace("observations", buffer_.observations);
    trace("actions", buffer_.actions);
    trace("old_log_probs", torch::tensor(buffer_.log_probs));
    trace("old_values", torch::tensor(buffer_.values));
    trace("env_rewards", torch::tensor(buffer_.rewards));
    trace("terminated", torch::tensor(buffer_.terminated));
    trace("truncated", torch::tensor(buffer_.truncated));
    trace("last_value", torch::tensor(last_value));
    trace("advantages", torch::tensor(advantages));
    trace("returns", torch::tensor(returns));

    const double lr =
        anneal_lr_ ? lr_ * (1.0 - static_cast<double>(updates_) / static_cast<double>(total_updates_)) : lr_;
    optimizer_->set_lr(lr);

    const auto obs = on_device(buffer_.observations);
    const auto actions = on_device(buffer_.actions);
    const auto old_log_probs = on_device(torch::tensor(buffer_.log_probs).unsqueeze(1));
    const auto old_values = on_device(torch::tensor(buffer_.values).unsqueeze(1));
    const auto adv_all = on_device(torch::tensor(advantages).unsqueeze(1));
    const auto ret_all = on_device(torch::tensor(returns).unsqueeze(1));
    const auto actor_params = actor_->parameters();
    const auto critic_params = critic_->parameters();
    const auto all_params = nn::parameters_of({actor_.get(), critic_.get()});
    std::vector<std::int64_t> order(n);
    for (int epoch = 0; epoch < epochs_; ++epoch) {
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t k = n - 1; k > 0; --k) std::swap(order[k], order[rng_.below(k + 1)]);
      trace("order" + std::to_string(epoch), torch::tensor(order));
      for (std::int64_t start = 0; start + minibatch_size_ <= n_steps_; start += minibatch_size_) {
        const auto idx = on_device(torch::tensor(
            std::vector<std::int64_t>(order.begin() + start, order.begin() + start + minibatch_size_)));
        const auto mb_obs = obs.index_select(0, idx);
        const auto mean = actor_->mean(mb_obs);
        const auto new_log_prob = actor_->log_prob(mean, actions.index_select(0, idx));
        const auto log_ratio = new_log_prob - old_log_probs.index_select(0, idx);
        const auto ratio = log_ratio.exp();
        auto adv = adv_all.index_select(0, idx);
        adv = (adv - adv.mean()) / (adv.std() + 1e-8);
        const auto pg_loss =
            torch::max(-adv * ratio, -adv * ratio.clamp(1.0 - clip_coef_, 1.0 + clip_coef_)).mean();

        const auto new_value = critic_->forward(mb_obs);
        const auto ret = ret_all.index_select(0, idx);
        torch::Tensor v_loss;
        if (clip_value_loss_) {
          const auto old_v = old_values.index_select(0, idx);
          const auto v_clipped = old_v + (new_value - old_v).clamp(-clip_coef_, clip_coef_);
          v_loss = 0.5 * torch::max((new_value - ret).pow(2), (v_clipped - ret).pow(2)).mean();
        } else {
          v_loss = 0.5 * (new_value - ret).pow(2).mean();
        }
        const auto entropy = actor_->entropy().mean();
        const auto loss = pg_loss - ent_coef_ * entropy + vf_coef_ * v_loss;
        optimizer_->zero_grad();
        loss.backward();
        stats_.add("grad_norm_actor", nn::grad_norm(actor_params));
        stats_.add("grad_norm_critic", nn::grad_norm(critic_params));
        if (max_grad_norm_ > 0) torch::nn::utils::clip_grad_norm_(all_params, max_grad_norm_);
        optimizer_->step();
        {
          torch::NoGradGuard no_grad;
          stats_.add("approx_kl", ((ratio - 1.0) - log_ratio).mean().item<double>());
          stats_.add("policy_clip_fraction",
                     ((ratio - 1.0).abs() > clip_coef_).to(torch::kFloat32).mean().item<double>());
        }
        stats_.add("loss_actor", pg_loss.item<double>());
        stats_.add("loss_critic", v_loss.item<double>());
        stats_.add("entropy", entropy.item<double>());
        if (epoch == 0 && start == 0) {
          trace("loss_actor", pg_loss);
          trace("loss_critic", v_loss);
        }
      }
    }
    stats_.add_q(old_values);
    stats_.add("lr", lr);
    ++updates_;
  }

  std::int64_t obs_dim_, act_dim_;
  std::vector<std::int64_t> hidden_;
  std::string activation_;
  std::int64_t n_steps_, minibatch_size_, epochs_;
  double lr_;
  bool anneal_lr_;
  double gamma_, gae_lambda_, clip_coef_;
  bool clip_value_loss_;
  double ent_coef_, vf_coef_, max_grad_norm_;
  bool normalize_obs_;
  double obs_clip_;
  bool normalize_reward_;
  double reward_clip_;
  std::int64_t total_updates_;
  Rng rng_;
  nn::GaussianActor actor_;
  nn::Mlp critic_;
  std::unique_ptr<nn::Adam> optimizer_;
  nn::RunningMeanStd obs_rms_, return_rms_;
  double return_accumulator_ = 0.0;
  RolloutBuffer buffer_;
  std::vector<double> obs_norm_;
  std::vector<float> obs_float_, action_;
  float pending_log_prob_ = 0.0f, pending_value_ = 0.0f;
};

}  // namespace

std::unique_ptr<Learner> make_ppo(const LearnerContext& context, const PpoOptions& options) {
  return std::make_unique<Ppo>(context, options);
}

}  // namespace credo::rl
