#include "credo/gail/adversarial_reward.h"

#include <cmath>

namespace credo::gail {

AdversarialReward::AdversarialReward(Discriminator& discriminator, const RewardOptions& options,
                                     rl::UpdateStats& stats)
    : discriminator_(discriminator),
      options_(options),
      transform_(make_reward_transform(options.transform)),
      stats_(stats) {}

torch::Tensor AdversarialReward::rewards(const torch::Tensor& obs, const torch::Tensor& actions,
                                         const torch::Tensor&) {
  torch::NoGradGuard no_grad;
  const auto z = discriminator_.logits(obs, actions);
  auto r = (*transform_)(z)*options_.scale;
  if (options_.normalize) {
    const auto values = r.to(torch::kFloat64).contiguous();
    for (std::int64_t i = 0; i < values.numel(); ++i) {
      normalizer_.update(std::span<const double>(values.data_ptr<double>() + i, 1));
    }
    r = r / std::sqrt(normalizer_.var()[0] + nn::RunningMeanStd::epsilon);
  }
  const auto clipped = r.clamp(options_.clip_low, options_.clip);
  const auto d = torch::sigmoid(z);
  stats_.add("reward_mean", clipped.mean().item<double>());
  stats_.add("reward_max", clipped.max().item<double>());
  stats_.add("reward_min", clipped.min().item<double>());
  stats_.add("reward_raw_max", r.max().item<double>());
  stats_.add("clip_fraction", (clipped != r).to(torch::kFloat64).mean().item<double>());
  stats_.add("outlier_high", (d > 1.0 - options_.outlier_delta).to(torch::kFloat64).mean().item<double>());
  stats_.add("outlier_low", (d < options_.outlier_delta).to(torch::kFloat64).mean().item<double>());
  return clipped.reshape({-1, 1}).to(torch::kFloat32);
}

}  // namespace credo::gail
