#include "credo/gail/reward_transform.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "credo/core/error.h"

namespace credo::gail {

torch::Tensor GailReward::operator()(const torch::Tensor& logits) const {
  return torch::softplus(logits);
}

torch::Tensor AirlReward::operator()(const torch::Tensor& logits) const {
  return logits;
}

torch::Tensor LogDReward::operator()(const torch::Tensor& logits) const {
  return -torch::softplus(-logits);
}

const std::vector<std::string>& reward_names() {
  static const std::vector<std::string> names{"gail", "airl", "logd"};
  return names;
}

std::unique_ptr<RewardTransform> make_reward_transform(const std::string& name) {
  if (name == "gail") return std::make_unique<GailReward>();
  if (name == "airl") return std::make_unique<AirlReward>();
  if (name == "logd") return std::make_unique<LogDReward>();
  throw UsageError(fmt::format("unknown reward '{}'; credo has {}", name, fmt::join(reward_names(), ", ")));
}

}  // namespace credo::gail
