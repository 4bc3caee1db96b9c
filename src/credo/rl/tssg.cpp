// TSSG: two-stage stochastic gradient, an off-policy soft policy iteration for GAIL with a stochastic policy
// (the paper's ST-GAIL learner; OpenReview forum ThiXK6rJ5c; no public code). credo's reading, also in
// docs/design.md:
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
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/soft_actor_critic.h"

namespace credo::rl {

namespace {

class Tssg final : public SoftActorCriticLearner {
 public:
  Tssg(const LearnerContext& c, const TssgOptions& o)
      : SoftActorCriticLearner(c, o.soft),
        evaluation_steps_(o.evaluation_steps),
        improvement_steps_(o.improvement_steps),
        frozen_actor_(obs_dim_, act_dim_, hidden_) {
    nn::hard_update(*frozen_actor_, *n_.actor);
  }

 private:
  // The stage is decided on the host; each of the two variants (evaluation only; evaluation then improvement)
  // is one CUDA graph on a GPU (off_policy_learner.h).
  void train_step() override {
    const bool improve = ++evaluation_done_ >= evaluation_steps_;
    if (improve) evaluation_done_ = 0;
    run_update(improve ? 1 : 0, [this, improve] { update(improve); });
  }

  void update(bool improve) {
    // Stage 1: one step of soft policy evaluation of the frozen policy pi_k.
    const Batch b = sample_batch();
    trace("log_alpha", n_.log_alpha);
    soft_critic_step(b, frozen_actor_, n_.alpha());
    if (!improve) return;

    // Stage 2: soft policy improvement against the evaluated critics, then pi_{k+1} <- pi.
    for (std::int64_t j = 0; j < improvement_steps_; ++j) {
      const Batch pb = j == 0 ? b : sample_batch();
      const auto eps = normal_noise(batch_size_, act_dim_);
      trace("eps", eps);
      const auto pi = n_.actor->sample(pb.observations, eps);
      soft_actor_step(pi, pb.observations, n_.alpha());
      temperature_step(pi.log_prob);
    }
    nn::hard_update(*frozen_actor_, *n_.actor);
  }

  void describe_networks(nn::StateTable& state) override {
    n_.describe_state(state);
    state.integer("evaluation_done", evaluation_done_);
    state.module("frozen_actor", *frozen_actor_);
  }

  std::int64_t evaluation_steps_, improvement_steps_;
  std::int64_t evaluation_done_ = 0;
  nn::SquashedGaussianActor frozen_actor_;
};

}  // namespace

std::unique_ptr<Learner> make_tssg(const LearnerContext& context, const TssgOptions& options) {
  return std::make_unique<Tssg>(context, options);
}

}  // namespace credo::rl
