#pragma once
// The learning reward of adversarial imitation: the discriminator's logit through a reward transform,
// optionally normalised by a running std, then clipped (CREDO: at most `clip`, the paper's c; optionally at
// least `clip_low`). It is a RewardSource, so off-policy learners relabel every sampled batch with the
// current discriminator and PPO each rollout (../shared/notes/mission.md). Each call records the reward
// statistics, the share clipped, and the outlier shares of the imitator samples it scored (D > 1 - delta, D <
// delta): the empirical counterpart of the paper's disparity event.
#include <memory>

#include "credo/gail/discriminator.h"
#include "credo/gail/reward_transform.h"
#include "credo/nn/running_mean_std.h"
#include "credo/rl/learner.h"
#include "credo/rl/update_stats.h"

namespace credo::gail {

struct RewardOptions {
  std::string transform = "gail";
  double scale = 1.0;
  double clip = 5.0;  // inf: off
  double clip_low = -std::numeric_limits<double>::infinity();
  bool normalize = false;
  double outlier_delta = 0.01;
};

class AdversarialReward : public rl::RewardSource {
 public:
  AdversarialReward(Discriminator& discriminator, const RewardOptions& options, rl::UpdateStats& stats);

  // obs [B, obs_dim] raw, actions [B, act_dim] in [-1, 1]; returns [B, 1] learning rewards.
  torch::Tensor rewards(const torch::Tensor& obs, const torch::Tensor& actions,
                        const torch::Tensor& next_obs) override;

  const nn::RunningMeanStd& normalizer() const { return normalizer_; }
  nn::RunningMeanStd& normalizer() { return normalizer_; }

 private:
  Discriminator& discriminator_;
  RewardOptions options_;
  std::unique_ptr<RewardTransform> transform_;
  rl::UpdateStats& stats_;
  nn::RunningMeanStd normalizer_{1};
};

}  // namespace credo::gail
