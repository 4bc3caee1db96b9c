// TSSG: two-stage stochastic gradient, an off-policy soft policy iteration for GAIL with a stochastic policy
// (the paper's ST-GAIL learner; facts.md F; no public code). credo's reading, also in docs/design.md:
//
// Iteration k keeps a frozen copy pi_k of the policy.
//   Stage 1, soft policy evaluation: `evaluation_steps` gradient steps (one per env step) of the twin critics
//     towards the soft Bellman target of the FROZEN policy,
//       y = r + (1 - terminated) gamma (min_j Q'_j(s', a') - alpha log pi_k(a'|s')),  a' ~ pi_k(.|s'),
//     so the critics estimate Q^{pi_k} rather than chase a moving policy.
//   Stage 2, soft policy improvement: `improvement_steps` gradient steps of the policy on
//     E[alpha log pi(a|s) - min_j Q_j(s, a)], a ~ pi(.|s) reparameterised (and of the temperature when
//     auto_alpha), then pi_{k+1} <- pi.
// The policy is a tanh-squashed Gaussian so actions stay in the env's bounds. With evaluation_steps = 1 and
// improvement_steps = 1 this is SAC without the delayed snapshot; larger evaluation_steps separate the
// stages.
//
// Config keys: evaluation_steps, improvement_steps, lr_actor, lr_critic, lr_alpha, alpha_init, auto_alpha,
// plus the off-policy keys.
#include "credo/nn/archive.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

namespace {

class Tssg final : public OffPolicyLearner {
 public:
  explicit Tssg(const LearnerContext& c)
      : OffPolicyLearner(c, {"loss_critic", "loss_actor", "loss_alpha", "grad_norm_critic", "grad_norm_actor",
                             "alpha", "entropy", "q_mean", "q_max", "q_min", "target_mean"}),
        evaluation_steps_(c.config.get_int("evaluation_steps")),
        improvement_steps_(c.config.get_int("improvement_steps")),
        auto_alpha_(c.config.get_bool("auto_alpha")),
        target_entropy_(-static_cast<double>(c.act_dim)),
        actor_(obs_dim_, act_dim_, hidden_),
        frozen_actor_(obs_dim_, act_dim_, hidden_),
        q1_(obs_dim_ + act_dim_, hidden_, 1),
        q2_(obs_dim_ + act_dim_, hidden_, 1),
        q1_target_(obs_dim_ + act_dim_, hidden_, 1),
        q2_target_(obs_dim_ + act_dim_, hidden_, 1),
        log_alpha_(torch::full({1}, std::log(c.config.get_double("alpha_init"))).requires_grad_(true)) {
    nn::hard_update(*frozen_actor_, *actor_);
    nn::hard_update(*q1_target_, *q1_);
    nn::hard_update(*q2_target_, *q2_);
    actor_opt_ = std::make_unique<torch::optim::Adam>(
        actor_->parameters(), torch::optim::AdamOptions(c.config.get_double("lr_actor")));
    critic_opt_ =
        std::make_unique<torch::optim::Adam>(nn::parameters_of({q1_.get(), q2_.get()}),
                                             torch::optim::AdamOptions(c.config.get_double("lr_critic")));
    alpha_opt_ = std::make_unique<torch::optim::Adam>(
        std::vector<torch::Tensor>{log_alpha_}, torch::optim::AdamOptions(c.config.get_double("lr_alpha")));
  }

 private:
  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    if (!explore) return actor_->deterministic(obs);
    return actor_->sample(obs, nn::normal_tensor(rng_, 1, act_dim_)).action;
  }

  torch::Tensor min_q(nn::Mlp& a, nn::Mlp& b, const torch::Tensor& obs, const torch::Tensor& action) {
    const auto input = torch::cat({obs, action}, 1);
    return torch::min(a->forward(input), b->forward(input));
  }

  void train_step() override {
    // Stage 1: one step of soft policy evaluation of the frozen policy pi_k.
    const Batch b = sample_batch();
    trace("log_alpha", log_alpha_);
    const auto alpha = log_alpha_.detach().exp();
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      const auto next_eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
      trace("next_eps", next_eps);
      const auto next = frozen_actor_->sample(b.next_observations, next_eps);
      const auto next_q =
          min_q(q1_target_, q2_target_, b.next_observations, next.action) - alpha * next.log_prob;
      y = b.rewards + (1.0 - b.terminated) * gamma_ * next_q;
    }
    trace("target", y);
    const auto input = torch::cat({b.observations, b.actions}, 1);
    const auto q1 = q1_->forward(input);
    const auto critic_loss = 0.5 * (torch::mse_loss(q1, y) + torch::mse_loss(q2_->forward(input), y));
    critic_opt_->zero_grad();
    critic_loss.backward();
    stats_.add("grad_norm_critic", nn::grad_norm(critic_opt_->param_groups()[0].params()));
    critic_opt_->step();
    trace("loss_critic", critic_loss);
    nn::soft_update(*q1_target_, *q1_, tau_);
    nn::soft_update(*q2_target_, *q2_, tau_);
    stats_.add("loss_critic", critic_loss.item<double>());
    stats_.add("q_mean", q1.mean().item<double>());
    stats_.add("q_max", q1.max().item<double>());
    stats_.add("q_min", q1.min().item<double>());
    stats_.add("target_mean", y.mean().item<double>());
    if (++evaluation_done_ < evaluation_steps_) return;
    evaluation_done_ = 0;

    // Stage 2: soft policy improvement against the evaluated critics, then pi_{k+1} <- pi.
    for (std::int64_t j = 0; j < improvement_steps_; ++j) {
      const Batch pb = j == 0 ? b : sample_batch();
      const auto eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
      trace("eps", eps);
      const auto pi = actor_->sample(pb.observations, eps);
      const auto current_alpha = log_alpha_.detach().exp();
      const auto actor_loss =
          (current_alpha * pi.log_prob - min_q(q1_, q2_, pb.observations, pi.action)).mean();
      actor_opt_->zero_grad();
      actor_loss.backward();
      stats_.add("grad_norm_actor", nn::grad_norm(actor_->parameters()));
      actor_opt_->step();
      trace("loss_actor", actor_loss);
      stats_.add("loss_actor", actor_loss.item<double>());
      stats_.add("alpha", current_alpha.item<double>());
      stats_.add("entropy", -pi.log_prob.mean().item<double>());
      if (auto_alpha_) {
        const auto alpha_loss = -(log_alpha_ * (pi.log_prob.detach() + target_entropy_)).mean();
        alpha_opt_->zero_grad();
        alpha_loss.backward();
        alpha_opt_->step();
        trace("loss_alpha", alpha_loss);
        stats_.add("loss_alpha", alpha_loss.item<double>());
      }
    }
    nn::hard_update(*frozen_actor_, *actor_);
  }

  std::vector<std::pair<std::string, torch::nn::Module*>> modules() override {
    return {
        {"actor", actor_.get()}, {"frozen_actor", frozen_actor_.get()}, {"critic0", q1_.get()},
        {"critic1", q2_.get()},  {"critic_target0", q1_target_.get()},  {"critic_target1", q2_target_.get()}};
  }

  void save_networks(torch::serialize::OutputArchive& archive) const override {
    nn::write_value(archive, "evaluation_done", evaluation_done_);
    nn::write_module(archive, "actor", *actor_);
    nn::write_module(archive, "frozen_actor", *frozen_actor_);
    nn::write_module(archive, "critic0", *q1_);
    nn::write_module(archive, "critic1", *q2_);
    nn::write_module(archive, "critic_target0", *q1_target_);
    nn::write_module(archive, "critic_target1", *q2_target_);
    archive.write("log_alpha", log_alpha_);
    nn::write_optimizer(archive, "actor_opt", *actor_opt_);
    nn::write_optimizer(archive, "critic_opt", *critic_opt_);
    nn::write_optimizer(archive, "alpha_opt", *alpha_opt_);
  }

  void load_networks(torch::serialize::InputArchive& archive) override {
    evaluation_done_ = nn::read_int(archive, "evaluation_done");
    nn::read_module(archive, "actor", *actor_);
    nn::read_module(archive, "frozen_actor", *frozen_actor_);
    nn::read_module(archive, "critic0", *q1_);
    nn::read_module(archive, "critic1", *q2_);
    nn::read_module(archive, "critic_target0", *q1_target_);
    nn::read_module(archive, "critic_target1", *q2_target_);
    torch::Tensor log_alpha;
    archive.read("log_alpha", log_alpha);
    {
      torch::NoGradGuard no_grad;
      log_alpha_.copy_(log_alpha);
    }
    nn::read_optimizer(archive, "actor_opt", *actor_opt_);
    nn::read_optimizer(archive, "critic_opt", *critic_opt_);
    nn::read_optimizer(archive, "alpha_opt", *alpha_opt_);
  }

  void save_policy(torch::serialize::OutputArchive& archive) const override {
    write_policy_head(archive, {"squashed_gaussian", obs_dim_, act_dim_, hidden_, "relu", std::nullopt, 0.0},
                      *actor_);
  }

  std::int64_t evaluation_steps_, improvement_steps_;
  std::int64_t evaluation_done_ = 0;
  bool auto_alpha_;
  double target_entropy_;
  nn::SquashedGaussianActor actor_, frozen_actor_;
  nn::Mlp q1_, q2_, q1_target_, q2_target_;
  torch::Tensor log_alpha_;
  std::unique_ptr<torch::optim::Adam> actor_opt_, critic_opt_, alpha_opt_;
};

}  // namespace

std::unique_ptr<Learner> make_tssg(const LearnerContext& context) {
  return std::make_unique<Tssg>(context);
}

}  // namespace credo::rl
