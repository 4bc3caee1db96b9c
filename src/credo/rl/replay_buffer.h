#pragma once
// The replay buffer every off-policy learner shares (TD3, DDPG, SD3, SAC, TSSG).
//
// Stores transitions as float32 in one ring of fixed capacity (1e6 by default, as sfujim/TD3 utils.py),
// overwriting the oldest when full. `terminated` and `truncated` are kept separately: a learner bootstraps
// through truncation (the time limit) and only stops at termination. Rewards are stored for plain RL; an
// adversarial trainer relabels them from its current discriminator at sampling time, so what is stored there
// is never used for learning. Sampling is uniform with replacement (as sfujim/TD3) from the caller's seeded
// generator.
#include <torch/torch.h>

#include <cstdint>
#include <span>
#include <vector>

#include "credo/core/rng.h"

namespace credo::rl {

struct Batch {
  torch::Tensor observations;         // [B, obs_dim] float32
  torch::Tensor actions;              // [B, act_dim]
  torch::Tensor rewards;              // [B, 1]
  torch::Tensor next_observations;    // [B, obs_dim]
  torch::Tensor terminated;           // [B, 1], 1.0 where the episode truly ended
  torch::Tensor truncated;            // [B, 1], 1.0 where the time limit cut it
  std::vector<std::int64_t> indices;  // positions in the buffer, for relabelling or inspection

  // The batch on `device` in one host-to-device copy (itself on the CPU); a population's stacked batch too.
  Batch to(torch::Device device) const;
};

class ReplayBuffer {
 public:
  ReplayBuffer(std::size_t obs_dim, std::size_t act_dim, std::size_t capacity = 1'000'000);

  void add(std::span<const double> obs, std::span<const double> action, double reward,
           std::span<const double> next_obs, bool terminated, bool truncated);

  // Throws std::logic_error when empty.
  Batch sample(std::size_t batch_size, Rng& rng) const;

  // The stored transitions (only the filled rows), their count and the write position.
  // The archive holds views of the stored rows (no copy): write it out before the buffer changes again.
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t obs_dim() const { return obs_dim_; }
  std::size_t act_dim() const { return act_dim_; }

 private:
  std::size_t obs_dim_, act_dim_, capacity_;
  std::size_t size_ = 0;
  std::size_t next_ = 0;
  std::vector<float> observations_, actions_, rewards_, next_observations_, terminated_, truncated_;
};

}  // namespace credo::rl
