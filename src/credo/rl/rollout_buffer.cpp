#include "credo/rl/rollout_buffer.h"

#include <stdexcept>

namespace credo::rl {

void compute_gae(std::span<const float> rewards, std::span<const float> values, std::span<const float> ended,
                 float last_value, double gamma, double lambda, std::span<float> advantages,
                 std::span<float> returns) {
  const std::size_t n = rewards.size();
  double next_advantage = 0.0;
  for (std::size_t k = n; k-- > 0;) {
    const double next_value = k + 1 < n ? values[k + 1] : last_value;
    const double not_ended = 1.0 - ended[k];
    const double delta = rewards[k] + gamma * next_value * not_ended - values[k];
    next_advantage = delta + gamma * lambda * not_ended * next_advantage;
    advantages[k] = static_cast<float>(next_advantage);
    returns[k] = static_cast<float>(next_advantage + values[k]);
  }
}

RolloutBuffer::RolloutBuffer(std::int64_t capacity, std::int64_t obs_dim, std::int64_t act_dim)
    : observations(torch::zeros({capacity, obs_dim})),
      raw_observations(torch::zeros({capacity, obs_dim})),
      actions(torch::zeros({capacity, act_dim})),
      raw_next_observations(torch::zeros({capacity, obs_dim})),
      capacity_(capacity),
      obs_dim_(obs_dim),
      act_dim_(act_dim) {
  for (auto* v : {&log_probs, &values, &rewards, &terminated, &truncated})
    v->resize(static_cast<std::size_t>(capacity));
}

void RolloutBuffer::add(std::span<const double> obs, std::span<const double> raw_obs,
                        std::span<const float> action, float log_prob, float value, float reward,
                        std::span<const double> raw_next_obs, bool is_terminated, bool is_truncated) {
  if (full()) throw std::logic_error("rollout buffer is full");
  const auto k = static_cast<std::size_t>(size_);
  float* o = observations.data_ptr<float>() + size_ * obs_dim_;
  float* ro = raw_observations.data_ptr<float>() + size_ * obs_dim_;
  float* rn = raw_next_observations.data_ptr<float>() + size_ * obs_dim_;
  for (std::int64_t j = 0; j < obs_dim_; ++j) {
    o[j] = static_cast<float>(obs[static_cast<std::size_t>(j)]);
    ro[j] = static_cast<float>(raw_obs[static_cast<std::size_t>(j)]);
    rn[j] = static_cast<float>(raw_next_obs[static_cast<std::size_t>(j)]);
  }
  float* a = actions.data_ptr<float>() + size_ * act_dim_;
  for (std::int64_t j = 0; j < act_dim_; ++j) a[j] = action[static_cast<std::size_t>(j)];
  log_probs[k] = log_prob;
  values[k] = value;
  rewards[k] = reward;
  terminated[k] = is_terminated ? 1.0f : 0.0f;
  truncated[k] = is_truncated ? 1.0f : 0.0f;
  ++size_;
}

}  // namespace credo::rl
