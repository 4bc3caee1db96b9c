#pragma once
// On-policy storage for PPO: one rollout of n steps, then generalised advantage estimation.
#include <torch/torch.h>

#include <span>
#include <utility>
#include <vector>

namespace credo::rl {

// Generalised advantage estimation (Schulman et al. 2016, "High-Dimensional Continuous Control Using
// Generalized Advantage Estimation", eq. 16), backwards over one rollout:
//   delta_t = r_t + gamma * V_{t+1} * (1 - ended_t) - V_t,  A_t = delta_t + gamma * lambda * (1 - ended_t) *
//   A_{t+1},
// with V_n = last_value and returns R_t = A_t + V_t. `ended` marks any episode end; a time-limit end
// bootstraps through its reward (the caller adds gamma * V(final observation) to r_t), so it is not a
// terminal state.
void compute_gae(std::span<const float> rewards, std::span<const float> values, std::span<const float> ended,
                 float last_value, double gamma, double lambda, std::span<float> advantages,
                 std::span<float> returns);

class RolloutBuffer {
 public:
  RolloutBuffer(std::int64_t capacity, std::int64_t obs_dim, std::int64_t act_dim);

  // obs: the policy's input (normalised when the learner normalises); raw_obs and raw_next_obs for reward
  // sources, which see what the env returned.
  void add(std::span<const double> obs, std::span<const double> raw_obs, std::span<const float> action,
           float log_prob, float value, float reward, std::span<const double> raw_next_obs, bool terminated,
           bool truncated);
  bool full() const { return size_ == capacity_; }
  std::int64_t size() const { return size_; }
  void clear() {
    size_ = 0;
    truncation_values.clear();
  }
  // The rows collected so far, for checkpoints: a run resumed mid-rollout completes the same rollout.
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

  torch::Tensor observations, raw_observations, actions, raw_next_observations;  // [n, dim] float
  std::vector<float> log_probs, values, rewards, terminated, truncated;
  std::vector<std::pair<std::int64_t, float>> truncation_values;  // (row, V(final obs)) of time-limit ends

 private:
  std::int64_t capacity_, obs_dim_, act_dim_;
  std::int64_t size_ = 0;
};

}  // namespace credo::rl
