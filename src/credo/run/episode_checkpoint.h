#pragma once
// The episode in progress, in a checkpoint: the training env's snapshot (envs::EnvSnapshot), the episode's
// return and length so far, and the episodes finished since the last metrics row. A run resumed from it steps
// on exactly as the uninterrupted run would have (checkpoints written before it existed resume with a fresh
// episode).
#include <torch/torch.h>

#include <cstdint>
#include <optional>

#include "credo/envs/env.h"

namespace credo::run {

struct EpisodeCheckpoint {
  envs::EnvSnapshot env;
  double episode_return = 0.0;
  std::int64_t episode_length = 0;
  // Episodes finished since the last metrics row.
  double row_return_sum = 0.0, row_length_sum = 0.0;
  std::int64_t row_episodes = 0;

  void save(torch::serialize::OutputArchive& archive) const;
  // Empty when the archive has none (a checkpoint from before).
  static std::optional<EpisodeCheckpoint> load(torch::serialize::InputArchive& archive);
};

}  // namespace credo::run
