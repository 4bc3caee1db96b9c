// TSSG: two-stage stochastic gradient, an off-policy soft policy iteration for GAIL with a stochastic policy
// (the paper's ST-GAIL learner; OpenReview forum ThiXK6rJ5c; no public code). credo's reading, also in docs/design.md:
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
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/soft_actor_critic.h"

namespace credo::rl {

namespace {

class Tssg final : public OffPolicyLearner {
 public:
  explicit Tssg(const LearnerContext& c)
      : OffPolicyLearner(c, {"loss_critic", "loss_actor", "loss_alpha", "grad_norm_critic", "grad_norm_actor",
                             "alpha", "entropy", "q_mean", "q_max", "q_min", "target_mean"}),
        evaluation_steps_(c.config.get_int("evaluation_steps")),
        improvement_steps_(c.config.get_int("improvement_steps")),
        n_(c, hidden_),
        frozen_actor_(obs_dim_, act_dim_, hidden_) {
    nn::hard_update(*frozen_actor_, *n_.actor);
  }

 private:
  torch::Tensor policy_action(const torch::Tensor& obs, bool explore) override {
    return n_.act(obs, explore, rng_);
  }

  void train_step() override {
    // Stage 1: one step of soft policy evaluation of the frozen policy pi_k.
    const Batch b = sample_batch();
    trace("log_alpha", n_.log_alpha);
    torch::Tensor y;
    {
      torch::NoGradGuard no_grad;
      const auto next_eps = nn::normal_tensor(rng_, batch_size_, act_dim_);
      trace("next_eps", next_eps);
      const auto next = frozen_actor_->sample(b.next_observations, next_eps);
      y = b.rewards + (1.0 - b.terminated) * gamma_ *
                          (n_.min_q_target(b.next_observations, next.action) - n_.alpha() * next.log_prob);
    }
    trace("target", y);
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
    n_.soft_update_targets(tau_);
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
      const auto pi = n_.actor->sample(pb.observations, eps);
      const auto alpha = n_.alpha();
      const auto actor_loss = (alpha * pi.log_prob - n_.min_q(pb.observations, pi.action)).mean();
      n_.actor_opt->zero_grad();
      actor_loss.backward();
      stats_.add("grad_norm_actor", nn::grad_norm(n_.actor->parameters()));
      n_.actor_opt->step();
      trace("loss_actor", actor_loss);
      stats_.add("loss_actor", actor_loss.item<double>());
      stats_.add("alpha", alpha.item<double>());
      stats_.add("entropy", -pi.log_prob.mean().item<double>());
      if (n_.auto_alpha) {
        const auto alpha_loss = -(n_.log_alpha * (pi.log_prob.detach() + n_.target_entropy)).mean();
        n_.alpha_opt->zero_grad();
        alpha_loss.backward();
        n_.alpha_opt->step();
        trace("loss_alpha", alpha_loss);
        stats_.add("loss_alpha", alpha_loss.item<double>());
      }
    }
    nn::hard_update(*frozen_actor_, *n_.actor);
  }

  std::vector<std::pair<std::string, torch::nn::Module*>> modules() override {
    auto m = n_.modules();
    m.emplace_back("frozen_actor", frozen_actor_.get());
    return m;
  }

  void save_networks(torch::serialize::OutputArchive& archive) const override {
    n_.save(archive);
    nn::write_value(archive, "evaluation_done", evaluation_done_);
    nn::write_module(archive, "frozen_actor", *frozen_actor_);
  }

  void load_networks(torch::serialize::InputArchive& archive) override {
    n_.load(archive);
    evaluation_done_ = nn::read_int(archive, "evaluation_done");
    nn::read_module(archive, "frozen_actor", *frozen_actor_);
  }

  void save_policy(torch::serialize::OutputArchive& archive) const override { n_.save_policy(archive); }

  std::int64_t evaluation_steps_, improvement_steps_;
  std::int64_t evaluation_done_ = 0;
  SoftActorCritic n_;
  nn::SquashedGaussianActor frozen_actor_;
};

}  // namespace

std::unique_ptr<Learner> make_tssg(const LearnerContext& context) {
  return std::make_unique<Tssg>(context);
}

}  // namespace credo::rl
