// SAC with automatic entropy tuning (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and Applications"),
// in the order of SB3's SAC.train (facts.md C.3): temperature, then twin critics against the soft target,
// then the tanh-squashed Gaussian actor, then Polyak averaging of the critic targets.
//
// Config keys: lr_actor, lr_critic, lr_alpha, alpha_init, auto_alpha (target entropy -|A|) plus the
// off-policy keys.
#include "credo/nn/archive.h"
#include "credo/nn/policy_heads.h"
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/policy_file.h"

namespace credo::rl {

namespace {

class Sac final : public OffPolicyLearner {
 public:
  explicit Sac(const LearnerContext& c)
      : OffPolicyLearner(c, {"loss_critic", "loss_actor", "loss_alpha", "grad_norm_critic", "grad_norm_actor",
                             "alpha", "entropy", "q_mean", "q_max", "q_min", "target_mean"}),
        auto_alpha_(c.config.get_bool("auto_alpha")),
        target_entropy_(-static_cast<double>(c.act_dim)),
        actor_(obs_dim_, act_dim_, hidden_),
        q1_(obs_dim_ + act_dim_, hidden_, 1),
        q2_(obs_dim_ + act_dim_, hidden_, 1),
        q1_target_(obs_dim_ + act_dim_, hidden_, 1),
        q2_target_(obs_dim_ + act_dim_, hidden_, 1),
        log_alpha_(torch::full({1}, std::log(c.config.get_double("alpha_init"))).requires_grad_(true)) {
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
    const Batch b = sample_batch();
    trace("log_alpha", log_alpha_);

    // A fresh policy sample for the temperature and actor losses.
    const auto eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
    trace("eps", eps);
    const auto pi = actor_->sample(b.observations, eps);
    const auto alpha = log_alpha_.detach().exp();

    // Temperature: minimise -log(alpha) * (log pi(a|s) + target_entropy), the target detached.
    if (auto_alpha_) {
      const auto alpha_loss = -(log_alpha_ * (pi.log_prob.detach() + target_entropy_)).mean();
      alpha_opt_->zero_grad();
      alpha_loss.backward();
      alpha_opt_->step();
      trace("loss_alpha", alpha_loss);
      stats_.add("loss_alpha", alpha_loss.item<double>());
    }

    // Soft target: y = r + (1 - terminated) * gamma * (min Q'(s', a') - alpha * log pi(a'|s')), a' ~ pi(s').
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      const auto next_eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
      trace("next_eps", next_eps);
      const auto next = actor_->sample(b.next_observations, next_eps);
      const auto next_q =
          min_q(q1_target_, q2_target_, b.next_observations, next.action) - alpha * next.log_prob;
      y = b.rewards + (1.0 - b.terminated) * gamma_ * next_q;
    }
    trace("target", y);

    // Critics: 0.5 * (MSE(Q1, y) + MSE(Q2, y)).
    const auto input = torch::cat({b.observations, b.actions}, 1);
    const auto q1 = q1_->forward(input);
    const auto critic_loss = 0.5 * (torch::mse_loss(q1, y) + torch::mse_loss(q2_->forward(input), y));
    critic_opt_->zero_grad();
    critic_loss.backward();
    stats_.add("grad_norm_critic", nn::grad_norm(critic_opt_->param_groups()[0].params()));
    critic_opt_->step();
    trace("loss_critic", critic_loss);

    // Actor: minimise alpha * log pi(a|s) - min Q(s, a), a = the reparameterised sample above.
    const auto actor_loss = (alpha * pi.log_prob - min_q(q1_, q2_, b.observations, pi.action)).mean();
    actor_opt_->zero_grad();
    actor_loss.backward();
    stats_.add("grad_norm_actor", nn::grad_norm(actor_->parameters()));
    actor_opt_->step();
    trace("loss_actor", actor_loss);

    nn::soft_update(*q1_target_, *q1_, tau_);
    nn::soft_update(*q2_target_, *q2_, tau_);

    stats_.add("loss_critic", critic_loss.item<double>());
    stats_.add("loss_actor", actor_loss.item<double>());
    stats_.add("alpha", alpha.item<double>());
    stats_.add("entropy", -pi.log_prob.mean().item<double>());
    stats_.add("q_mean", q1.mean().item<double>());
    stats_.add("q_max", q1.max().item<double>());
    stats_.add("q_min", q1.min().item<double>());
    stats_.add("target_mean", y.mean().item<double>());
  }

  std::vector<std::pair<std::string, torch::nn::Module*>> modules() override {
    return {{"actor", actor_.get()},
            {"critic0", q1_.get()},
            {"critic1", q2_.get()},
            {"critic_target0", q1_target_.get()},
            {"critic_target1", q2_target_.get()}};
  }

  void save_networks(torch::serialize::OutputArchive& archive) const override {
    nn::write_module(archive, "actor", *actor_);
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
    nn::read_module(archive, "actor", *actor_);
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

  bool auto_alpha_;
  double target_entropy_;
  nn::SquashedGaussianActor actor_;
  nn::Mlp q1_, q2_, q1_target_, q2_target_;
  torch::Tensor log_alpha_;
  std::unique_ptr<torch::optim::Adam> actor_opt_, critic_opt_, alpha_opt_;
};

}  // namespace

std::unique_ptr<Learner> make_sac(const LearnerContext& context) {
  return std::make_unique<Sac>(context);
}

}  // namespace credo::rl
