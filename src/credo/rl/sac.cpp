// SAC with automatic entropy tuning (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and Applications"),
// in the order of SB3's SAC.train (DLR-RM/stable-baselines3 sac/sac.py): temperature, then twin critics
// against the soft target (and the Polyak step of their targets), then the tanh-squashed Gaussian actor. The
// targets' step before the actor's changes nothing: the actor's loss reads the critics, not their targets.
//
// Config keys: lr_actor, lr_critic, lr_alpha, alpha_init, auto_alpha (target entropy -|A|) plus the
// off-policy keys.
#include "credo/nn/tensor_utils.h"
#include "credo/rl/learners.h"
#include "credo/rl/off_policy_learner.h"
#include "credo/rl/soft_actor_critic.h"

namespace credo::rl {

namespace {

class Sac final : public SoftActorCriticLearner {
 public:
  Sac(const LearnerContext& c, const SacOptions& o) : SoftActorCriticLearner(c, o) {}

 private:
  // All device work, the same every time: one CUDA graph on a GPU (off_policy_learner.h).
  void train_step() override { run_update(0, [this] { update(); }); }

  void update() {
    const Batch b = sample_batch();
    trace("log_alpha", n_.log_alpha);

    // A fresh policy sample for the temperature and actor losses.
    const auto eps = normal_noise(batch_size_, act_dim_);
    trace("eps", eps);
    const auto pi = n_.actor->sample(b.observations, eps);
    const auto alpha = n_.alpha();

    // Temperature: minimise -log(alpha) * (log pi(a|s) + target_entropy), the target detached.
    temperature_step(pi.log_prob);

    // Critics: the soft target of the current policy, with the temperature before its step above.
    soft_critic_step(b, n_.actor, alpha);

    // Actor: minimise alpha * log pi(a|s) - min Q(s, a), a = the reparameterised sample above.
    soft_actor_step(pi, b.observations, alpha);
  }
};

}  // namespace

std::unique_ptr<Learner> make_sac(const LearnerContext& context, const SacOptions& options) {
  return std::make_unique<Sac>(context, options);
}

}  // namespace credo::rl
