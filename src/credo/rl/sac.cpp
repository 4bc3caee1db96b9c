// SAC with automatic entropy tuning (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and Applications"),
// in the order of SB3's SAC.train (DLR-RM/stable-baselines3 sac/sac.py): temperature, then twin critics against the soft target,
// then the tanh-squashed Gaussian actor, then Polyak averaging of the critic targets.
//
// Config keys: lr_actor, lr_critic, lr_alpha, alpha_init, auto_alpha (target entropy -|A|) plus the
// off-policy keys.
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/soft_actor_critic.h"

namespace credo::rl {

namespace {

class Sac final : public OffPolicyLearner {
 public:
  explicit Sac(const LearnerContext& c)
      : OffPolicyLearner(c, {"loss_critic", "loss_actor", "loss_alpha", "grad_norm_critic", "grad_norm_actor",
                             "alpha", "entropy", "q_mean", "q_max", "q_min", "target_mean"}),
        n_(c, hidden_) {}

 private:
  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    return n_.act(obs, explore, rng_);
  }

  void train_step() override {
    const Batch b = sample_batch();
    trace("log_alpha", n_.log_alpha);

    // A fresh policy sample for the temperature and actor losses.
    const auto eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
    trace("eps", eps);
    const auto pi = n_.actor->sample(b.observations, eps);
    const auto alpha = n_.alpha();

    // Temperature: minimise -log(alpha) * (log pi(a|s) + target_entropy), the target detached.
    if (n_.auto_alpha) {
      const auto alpha_loss = -(n_.log_alpha * (pi.log_prob.detach() + n_.target_entropy)).mean();
      n_.alpha_opt->zero_grad();
      alpha_loss.backward();
      n_.alpha_opt->step();
      trace("loss_alpha", alpha_loss);
      stats_.add("loss_alpha", alpha_loss.item<double>());
    }

    // Soft target: y = r + (1 - terminated) * gamma * (min Q'(s', a') - alpha * log pi(a'|s')), a' ~ pi(s').
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      const auto next_eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
      trace("next_eps", next_eps);
      const auto next = n_.actor->sample(b.next_observations, next_eps);
      y = b.rewards + (1.0 - b.terminated) * gamma_ *
                          (n_.min_q_target(b.next_observations, next.action) - alpha * next.log_prob);
    }
    trace("target", y);

    // Critics: 0.5 * (MSE(Q1, y) + MSE(Q2, y)).
    const auto input = torch::cat({b.observations, b.actions}, 1);
    torch::Tensor q1;
    n_.critic_opt->zero_grad();
    const auto terms = backward_each({[&] {
                                        q1 = n_.q1->forward(input);
                                        return 0.5 * torch::mse_loss(q1, y);
                                      },
                                      [&] { return 0.5 * torch::mse_loss(n_.q2->forward(input), y); }});
    const auto critic_loss = terms[0].detach() + terms[1].detach();
    stats_.add("grad_norm_critic", nn::grad_norm(n_.critic_opt->params()));
    n_.critic_opt->step();
    trace("loss_critic", critic_loss);

    // Actor: minimise alpha * log pi(a|s) - min Q(s, a), a = the reparameterised sample above.
    const auto actor_loss = (alpha * pi.log_prob - n_.min_q(b.observations, pi.action)).mean();
    n_.actor_opt->zero_grad();
    actor_loss.backward();
    stats_.add("grad_norm_actor", nn::grad_norm(n_.actor->parameters()));
    n_.actor_opt->step();
    trace("loss_actor", actor_loss);

    n_.soft_update_targets(tau_);

    stats_.add("loss_critic", critic_loss.item<double>());
    stats_.add("loss_actor", actor_loss.item<double>());
    stats_.add("alpha", alpha.item<double>());
    stats_.add("entropy", -pi.log_prob.mean().item<double>());
    stats_.add("q_mean", q1.mean().item<double>());
    stats_.add("q_max", q1.max().item<double>());
    stats_.add("q_min", q1.min().item<double>());
    stats_.add("target_mean", y.mean().item<double>());
  }

  std::vector<std::pair<std::string, torch::nn::Module*>> modules() override { return n_.modules(); }
  void save_networks(torch::serialize::OutputArchive& archive) const override { n_.save(archive); }
  void load_networks(torch::serialize::InputArchive& archive) override { n_.load(archive); }
  void save_policy(torch::serialize::OutputArchive& archive) const override { n_.save_policy(archive); }

  SoftActorCritic n_;
};

}  // namespace

std::unique_ptr<Learner> make_sac(const LearnerContext& context) {
  return std::make_unique<Sac>(context);
}

}  // namespace credo::rl
