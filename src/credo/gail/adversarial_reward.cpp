#include "credo/gail/adversarial_reward.h"

#include <algorithm>
#include <cmath>

namespace credo::gail {

AdversarialReward::AdversarialReward(Discriminator& discriminator, const RewardOptions& options,
                                     rl::UpdateStats& stats)
    : discriminator_(discriminator),
      options_(options),
      transform_(make_reward_transform(options.transform)),
      stats_(stats) {
  if (options.clip_quantile > 0.0) adaptive_clip_.emplace(options.clip_quantile, options.clip_window);
}

double AdversarialReward::upper_clip() const {
  return std::max(options_.clip_low, adaptive_clip_ ? adaptive_clip_->threshold() : options_.clip);
}

torch::Tensor AdversarialReward::logits(const torch::Tensor& obs, const torch::Tensor& actions) const {
  // Real states carry the absorbing indicator 0.
  const auto input =
      options_.absorbing ? torch::cat({obs, torch::zeros({obs.size(0), 1}, obs.options())}, 1) : obs;
  return discriminator_.logits(input, actions);
}

void AdversarialReward::update_normalizer(const torch::Tensor& r) {
  if (!options_.normalize) return;
  const auto values = r.to(torch::kCPU, torch::kFloat64).contiguous();
  for (std::int64_t i = 0; i < values.numel(); ++i) {
    normalizer_.update(std::span<const double>(values.data_ptr<double>() + i, 1));
  }
}

torch::Tensor AdversarialReward::normalize(const torch::Tensor& r) const {
  if (!options_.normalize) return r;
  return r / std::sqrt(normalizer_.var()[0] + nn::RunningMeanStd::epsilon);
}

double AdversarialReward::absorbing_reward(double upper_clip) const {
  torch::NoGradGuard no_grad;
  const auto obs_dim = discriminator_.obs_dim();
  const auto on = torch::TensorOptions().device(discriminator_.device());
  auto absorbing = torch::zeros({1, obs_dim}, on);
  absorbing.index_put_({0, obs_dim - 1}, 1.0);
  const auto z = discriminator_.logits(absorbing, torch::zeros({1, discriminator_.act_dim()}, on));
  return normalize((*transform_)(z)*options_.scale)
      .clamp(options_.clip_low, std::max(options_.clip_low, upper_clip))
      .item<double>();
}

torch::Tensor AdversarialReward::with_absorbing_value(torch::Tensor learning, const torch::Tensor& terminated,
                                                      double upper_clip) const {
  if (!options_.absorbing) return learning;
  const double value = options_.gamma / (1.0 - options_.gamma) * absorbing_reward(upper_clip);
  return learning + terminated.reshape({-1, 1}).to(torch::kFloat32) * value;
}

torch::Tensor AdversarialReward::rewards(const torch::Tensor& obs, const torch::Tensor& actions,
                                         const torch::Tensor&, const torch::Tensor& terminated) {
  torch::NoGradGuard no_grad;
  const auto z = logits(obs, actions);
  const auto scaled = (*transform_)(z)*options_.scale;
  update_normalizer(scaled);
  const auto r = normalize(scaled);
  const double upper = upper_clip();
  const auto clipped = r.clamp(options_.clip_low, upper);
  if (adaptive_clip_) {
    stats_.add("clip_threshold", upper);
    const auto values = r.to(torch::kCPU, torch::kFloat32).contiguous();
    adaptive_clip_->add(
        std::span<const float>(values.data_ptr<float>(), static_cast<std::size_t>(values.numel())));
  }
  const auto d = torch::sigmoid(z);
  // Read at the next flush (the learner's, once per update): no synchronisation per batch on a GPU.
  stats_.add("reward_mean", clipped.mean());
  stats_.add("reward_max", clipped.max());
  stats_.add("reward_min", clipped.min());
  stats_.add("reward_raw_max", r.max());
  stats_.add("clip_fraction", (clipped != r).to(torch::kFloat64).mean());
  stats_.add("outlier_high", (d > 1.0 - options_.outlier_delta).to(torch::kFloat64).mean());
  stats_.add("outlier_low", (d < options_.outlier_delta).to(torch::kFloat64).mean());
  return with_absorbing_value(clipped.reshape({-1, 1}).to(torch::kFloat32), terminated, upper);
}

torch::Tensor AdversarialReward::score(const torch::Tensor& obs, const torch::Tensor& actions,
                                       const torch::Tensor& terminated, double upper_clip) const {
  torch::NoGradGuard no_grad;
  const auto r = normalize((*transform_)(logits(obs, actions)) * options_.scale);
  const auto clipped = r.clamp(options_.clip_low, std::max(options_.clip_low, upper_clip));
  return with_absorbing_value(clipped.reshape({-1, 1}).to(torch::kFloat32), terminated, upper_clip);
}

}  // namespace credo::gail
