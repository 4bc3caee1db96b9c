#include "credo/gail/imitation_options.h"

#include <fmt/format.h>

#include "credo/gail/reward_transform.h"

namespace credo::gail {

namespace {

RewardOptions read_reward(const config::OptionReader& r, bool absorbing, double gamma) {
  RewardOptions o;
  o.transform = r.text("reward");
  make_reward_transform(o.transform);  // an unknown name fails here, naming the known ones
  o.scale = r.positive("reward_scale");
  o.clip = r.number(
      "clip", [](double v) { return v > 0.0; }, "a positive number, off or auto");
  o.clip_low = r.number("clip_low");
  // The adaptive clip's keys count only with clip_auto (then `clip` is off).
  const bool adaptive = r.flag("clip_auto");
  const double quantile = r.number("clip_quantile", nullptr, "in (0, 1] (with clip_auto)");
  const std::int64_t window = r.integer("clip_window", nullptr, "at least 100 rewards (with clip_auto)");
  if (adaptive) {
    if (!(quantile > 0.0 && quantile <= 1.0)) r.reject("clip_quantile", "in (0, 1]");
    if (window < 100) r.reject("clip_window", "at least 100 rewards");
    o.clip = std::numeric_limits<double>::infinity();
    o.clip_quantile = quantile;
    o.clip_window = window;
  }
  if (!(o.clip_low < o.clip)) r.reject("clip_low", fmt::format("below clip ({})", o.clip));
  o.normalize = r.flag("reward_normalize");
  o.outlier_delta = r.number(
      "outlier_delta", [](double v) { return v > 0.0 && v < 0.5; }, "in (0, 0.5)");
  o.absorbing = absorbing;
  o.gamma = gamma;
  return o;
}

}  // namespace

ImitationOptions ImitationOptions::read(const config::OptionReader& r, double gamma) {
  ImitationOptions o;
  o.absorbing = r.flag("absorbing");
  o.disc_batch_size = r.positive_integer("disc_batch_size");
  o.disc_interval = r.positive_integer("disc_interval");
  o.disc_updates = r.positive_integer("disc_updates");
  o.disc_start = r.at_least_zero("disc_start");
  o.disc_buffer = r.positive_integer("disc_buffer");
  o.disc_normalize_obs = r.flag("disc_normalize_obs");
  o.disc_parallel = r.flag("disc_parallel");
  o.disc_hidden = r.layer_sizes("disc_hidden");
  o.disc_activation = r.choice("disc_activation", {"relu", "tanh", "none"});  // nn::parse_activation's names
  o.disc_lr = r.positive("disc_lr");
  o.gradient_penalty = r.non_negative("gradient_penalty");
  o.reward = read_reward(r, o.absorbing, gamma);
  return o;
}

}  // namespace credo::gail
