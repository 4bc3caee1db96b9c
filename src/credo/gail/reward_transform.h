#pragma once
// Rewards from the discriminator's logit z, where D = sigmoid(z) is the probability that (s, a) is the
// expert's
// (DAC dac/gail.py `get_reward`; HumanCompatibleAI/imitation rewards/reward_nets.py). Each is written with softplus so that no logit overflows.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace credo::gail {

class RewardTransform {
 public:
  virtual ~RewardTransform() = default;
  virtual torch::Tensor operator()(const torch::Tensor& logits) const = 0;
};

// gail: r = -log(1 - D) = softplus(z). Positive, unbounded above (DAC's and imitation's "GAIL" reward).
class GailReward : public RewardTransform {
 public:
  torch::Tensor operator()(const torch::Tensor& logits) const override;
};

// airl: r = log D - log(1 - D) = z. Either sign, unbounded both ways (the paper's "combined" reward, DAC's
// default).
class AirlReward : public RewardTransform {
 public:
  torch::Tensor operator()(const torch::Tensor& logits) const override;
};

// logd: r = log D = -softplus(-z). Negative, unbounded below (the non-saturating GAN generator objective).
class LogDReward : public RewardTransform {
 public:
  torch::Tensor operator()(const torch::Tensor& logits) const override;
};

const std::vector<std::string>& reward_names();  // gail, airl, logd
// Throws UsageError naming the known rewards for an unknown name.
std::unique_ptr<RewardTransform> make_reward_transform(const std::string& name);

}  // namespace credo::gail
