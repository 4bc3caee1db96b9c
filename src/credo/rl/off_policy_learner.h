#pragma once
// What every off-policy learner shares (td3, ddpg, sd3, sac, tssg): the replay buffer, uniform random actions
// for the first `start_steps` steps, one call of train_step() per env step after that (`updates_per_step`
// calls), and batches whose rewards come from the reward source when one is set. Each learner writes only its
// update (train_step) and its policy.
//
// Its options (OffPolicyOptions, learner_options.h): buffer_size, batch_size, start_steps, updates_per_step,
// hidden, gamma, tau, critic_threads; lr_actor and lr_critic are for the learner's own optimisers.
#include <functional>
#include <memory>
#include <optional>

#include "credo/core/rng.h"
#include "credo/core/thread_pool.h"
#include "credo/rl/learner.h"
#include "credo/rl/learner_options.h"
#include "credo/rl/replay_buffer.h"

namespace credo::rl {

class OffPolicyLearner : public Learner {
 public:
  void act(std::span<const double> obs, bool explore, std::span<float> action) final;
  void observe(const Transition& transition) final;

  const ReplayBuffer& buffer() const { return buffer_; }
  // Tests only: one update now, whatever the step count.
  void train_now() {
    batches_sampled_ = 0;
    train_step();
  }

 protected:
  OffPolicyLearner(const LearnerContext& context, const OffPolicyOptions& options,
                   std::vector<std::string> stat_names);

  // The policy's action for a [1, obs_dim] observation, with exploration when `explore`; in [-1, 1].
  virtual torch::Tensor policy_action(const torch::Tensor& obs, bool explore) = 0;
  // One update of every network; draws its batches with sample_batch().
  virtual void train_step() = 0;
  // The learner's own state (networks, optimisers, counters); this class adds the buffer, step and generator.
  virtual void describe_networks(nn::StateTable& state) = 0;
  void describe_state(nn::StateTable& state) final;

  // A uniform batch of `batch_size` transitions whose rewards are the learning rewards.
  Batch sample_batch();
  // Standard-normal noise from the learner's generator, on its device.
  torch::Tensor normal_noise(std::int64_t rows, std::int64_t cols);
  // Env steps observed so far (schedules that follow the run's progress).
  std::int64_t env_steps() const { return steps_; }

  // Runs each closure (a critic's forward and loss) and the backward pass of its loss. With
  // critic_threads = 2 the closures run at the same time on two threads: twin critics are independent graphs,
  // so their passes can use both cores (docs/benchmarks.md). Returns the losses in order.
  std::vector<torch::Tensor> backward_each(const std::vector<std::function<torch::Tensor()>>& losses);

  std::int64_t obs_dim_, act_dim_;
  std::vector<std::int64_t> hidden_;
  double gamma_, tau_;
  std::int64_t batch_size_;
  Rng rng_;  // exploration noise, target noise, sampling: every random draw after the initial weights
  std::unique_ptr<ThreadPool> critic_pool_;  // with critic_threads > 1

 private:
  ReplayBuffer buffer_;
  std::int64_t start_steps_, updates_per_step_;
  std::int64_t steps_ = 0;
  int batches_sampled_ = 0;
  std::vector<double> action_buffer_;
};

}  // namespace credo::rl
