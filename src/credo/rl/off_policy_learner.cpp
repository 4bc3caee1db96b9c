#include "credo/rl/off_policy_learner.h"

#include "credo/nn/tensor_utils.h"

namespace credo::rl {

OffPolicyLearner::OffPolicyLearner(const LearnerContext& context, const OffPolicyOptions& options,
                                   std::vector<std::string> stat_names)
    : Learner(std::move(stat_names)),
      obs_dim_(context.obs_dim),
      act_dim_(context.act_dim),
      hidden_(options.hidden),
      gamma_(options.gamma),
      tau_(options.tau),
      batch_size_(options.batch_size),
      rng_(context.seed ^ 0x9e3779b97f4a7c15ULL),
      buffer_(static_cast<std::size_t>(context.obs_dim), static_cast<std::size_t>(context.act_dim),
              static_cast<std::size_t>(options.buffer_size)),
      start_steps_(options.start_steps),
      updates_per_step_(options.updates_per_step),
      action_buffer_(static_cast<std::size_t>(context.act_dim)) {
  if (options.critic_threads > 1) critic_pool_ = std::make_unique<ThreadPool>(options.critic_threads);
}

std::vector<torch::Tensor> OffPolicyLearner::backward_each(
    const std::vector<std::function<torch::Tensor()>>& losses) {
  std::vector<torch::Tensor> out(losses.size());
  const auto run = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      out[i] = losses[i]();
      out[i].backward();
    }
  };
  if (critic_pool_ && losses.size() > 1) {
    critic_pool_->parallel_for(losses.size(), run);
  } else {
    run(0, losses.size());
  }
  return out;
}

void OffPolicyLearner::act(std::span<const double> obs, bool explore, std::span<float> action) {
  if (explore && steps_ < start_steps_) {
    for (auto& a : action) a = static_cast<float>(rng_.uniform(-1.0, 1.0));
    return;
  }
  torch::NoGradGuard no_grad;
  const auto a = policy_action(on_device(nn::row_tensor(obs)), explore).to(torch::kCPU).contiguous();
  std::copy_n(a.data_ptr<float>(), action.size(), action.begin());
}

void OffPolicyLearner::observe(const Transition& t) {
  for (std::size_t i = 0; i < action_buffer_.size(); ++i) action_buffer_[i] = t.action[i];
  buffer_.add(t.obs, action_buffer_, t.reward, t.next_obs, t.terminated, t.truncated);
  ++steps_;
  if (steps_ < start_steps_) return;
  for (std::int64_t i = 0; i < updates_per_step_; ++i) {
    train_step();
    ++updates_;
  }
}

Batch OffPolicyLearner::sample_batch() {
  Batch batch = buffer_.sample(static_cast<std::size_t>(batch_size_), rng_).to(device());
  if (reward_source_) {
    torch::NoGradGuard no_grad;
    batch.rewards =
        reward_source_->rewards(batch.observations, batch.actions, batch.next_observations, batch.terminated);
  }
  if (tracing()) {  // tests only; no string building on the training path
    const std::string prefix = "batch" + std::to_string(batches_sampled_++) + ".";
    trace(prefix + "observations", batch.observations);
    trace(prefix + "actions", batch.actions);
    trace(prefix + "rewards", batch.rewards);
    trace(prefix + "next_observations", batch.next_observations);
    trace(prefix + "terminated", batch.terminated);
  }
  return batch;
}

torch::Tensor OffPolicyLearner::normal_noise(std::int64_t rows, std::int64_t cols) {
  return on_device(nn::normal_tensor(rng_, rows, cols));
}

void OffPolicyLearner::describe_state(nn::StateTable& state) {
  state.integer("steps", steps_);
  state.rng("rng", rng_);
  state.part("replay_buffer", buffer_);
  describe_networks(state);
}

}  // namespace credo::rl
