#pragma once
// Adversarial imitation around any learner: the demonstrations, the recent imitator transitions, the
// discriminator with its training schedule, and the reward the learner learns from. The trainer feeds it
// every env step; the true env reward never reaches the learner.
//
// Schedule: after `disc_start` steps, every `disc_interval` env steps the discriminator takes `disc_updates`
// updates, each on `disc_batch_size` expert samples and as many imitator samples drawn uniformly from the
// last `disc_buffer` steps. DAC (google-research dac/lfd_training_worker.py) takes one update of 100 + 100
// per env step, with imitator samples from its whole replay buffer. With `absorbing`, the expert's and the
// imitator's true terminations add an absorbing-state sample each (adversarial_reward.h).
//
// Order within an env step: the learner's update (whose rewards come from the discriminator as the previous
// round left it), then the discriminator's round. The two read disjoint state, so with `disc_parallel` they
// run at the same time on two threads, the learner scoring with an exact copy of the discriminator's weights
// that follows each round; the results are the same as in order (tests/python/test_gail.py checks it).
#include <functional>
#include <memory>

#include "credo/core/rng.h"
#include "credo/core/thread_pool.h"
#include "credo/demos/expert_transitions.h"
#include "credo/envs/env.h"
#include "credo/gail/adversarial_reward.h"
#include "credo/gail/discriminator.h"
#include "credo/gail/imitation_options.h"
#include "credo/rl/update_stats.h"

namespace credo::gail {

class Imitation {
 public:
  // `expert` was selected with the run's `absorbing` setting (demos/expert_transitions.h).
  // Learns on `device` (nn/device.h); the imitator samples stay in host memory and each update moves its
  // batch over.
  Imitation(const ImitationOptions& options, const demos::ExpertTransitions& expert,
            const envs::EnvSpec& spec, std::uint64_t seed, torch::Device device = torch::kCPU);

  rl::RewardSource* reward_source() { return reward_.get(); }
  AdversarialReward& reward() { return *reward_; }
  // One env step of the imitator: the observation, the normalised action in [-1, 1], and whether the step
  // terminated the episode (with absorbing states, the absorbing state is then an imitator sample too).
  void observe(std::span<const double> obs, std::span<const float> action, bool terminated);
  // Env step `step` (counted from 1) after observe(): runs `learner_update` and then the discriminator round
  // due after this step, if any (beside each other with disc_parallel).
  void step(std::int64_t step, const std::function<void()>& learner_update);

  rl::UpdateStats& stats() { return stats_; }
  Discriminator& discriminator() { return *discriminator_; }

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  // The discriminator's view of the imitator's recent steps: one row of the ring buffer.
  void push(std::span<const double> obs, std::span<const float> action, bool absorbing);
  bool round_due(std::int64_t step) const;
  // The round's discriminator updates; touches only the discriminator, the samples and rng_.
  std::vector<DiscriminatorUpdate> run_round();
  void record(const std::vector<DiscriminatorUpdate>& round);

  std::int64_t obs_dim_, act_dim_;
  bool absorbing_;
  std::int64_t disc_obs_dim_;  // obs_dim_ + 1 with absorbing states (the indicator)
  std::int64_t batch_size_, interval_, updates_, start_, capacity_;
  torch::Tensor expert_obs_, expert_actions_, expert_weights_;  // actions normalised to [-1, 1]
  std::vector<float> policy_obs_, policy_actions_;              // ring buffer of the last `capacity_` steps
  std::int64_t filled_ = 0, next_ = 0;
  Rng rng_;
  rl::UpdateStats stats_;
  std::unique_ptr<Discriminator> discriminator_;
  // With disc_parallel: the copy the reward scores with while a round trains discriminator_, and the thread
  // pool (the caller and one worker) the two run on.
  std::unique_ptr<Discriminator> scorer_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<AdversarialReward> reward_;
};

}  // namespace credo::gail
