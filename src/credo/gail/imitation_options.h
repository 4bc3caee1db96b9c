#pragma once
// Adversarial imitation's options: the discriminator, its schedule and the reward (configs/imitation.toml
// holds their defaults and meanings), read and checked once, here.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "credo/config/option_reader.h"

namespace credo::gail {

// The learning reward: transform, scale, CREDO's fixed or adaptive clip, normalisation, outlier shares.
struct RewardOptions {
  std::string transform = "gail";  // reward
  double scale = 1.0;              // reward_scale
  double clip = 5.0;               // clip; inf: off
  double clip_low = -std::numeric_limits<double>::infinity();
  // The adaptive clip (adaptive_clip.h) instead of `clip`: on when clip_quantile > 0 (clip_auto).
  double clip_quantile = 0.0;
  std::int64_t clip_window = 100000;
  bool normalize = false;  // reward_normalize
  double outlier_delta = 0.01;
  bool absorbing = false;  // the discriminator takes the absorbing indicator as its last observation input
  double gamma = 0.99;     // the learner's discount, for the absorbing state's value
};

struct ImitationOptions {
  bool absorbing = true;
  std::int64_t disc_batch_size = 0, disc_interval = 0, disc_updates = 0, disc_start = 0, disc_buffer = 0;
  bool disc_normalize_obs = false;
  bool disc_parallel = false;  // the discriminator's rounds on a second thread beside the learner's update
  std::vector<std::int64_t> disc_hidden;
  std::string disc_activation;
  double disc_lr = 0, gradient_penalty = 0;
  RewardOptions reward;

  // `gamma` is the learner's discount (the learner reads that key).
  static ImitationOptions read(const config::OptionReader& r, double gamma);
};

}  // namespace credo::gail
