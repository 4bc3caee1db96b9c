#pragma once
// The learning reward of adversarial imitation: the discriminator's logit through a reward transform,
// optionally normalised by a running std, then clipped (CREDO: at most `clip`, the paper's c, or an adaptive
// threshold, adaptive_clip.h; optionally at least `clip_low`). It is a RewardSource, so off-policy learners
// relabel every sampled batch with the current discriminator and PPO each rollout (as DAC relabels every
// sampled batch). Each call records the reward statistics, the share clipped, and the outlier shares of the
// imitator samples it scored (D > 1 - delta, D < delta): the empirical counterpart of the paper's disparity
// event.
//
// Absorbing states (DAC, Kostrikov et al. 2019; google-research dac/lfd_envs.py, replay_buffer.py): the
// discriminator sees one more input, an indicator that is 0 on real states and 1 on the absorbing state (all
// zeros otherwise) that follows every true termination. DAC stores (s, a, absorbing) and then loops
// (absorbing, 0, absorbing) forever, with the target action zeroed on absorbing states, so the absorbing
// state's value is the discounted sum of its constant reward: Q(absorbing) = r_abs / (1 - gamma), r_abs the
// learning reward of (absorbing, zero action). credo adds that value in closed form to the reward of every
// terminated transition, r + gamma r_abs / (1 - gamma), which gives each learner, off-policy or PPO, DAC's
// targets without any change to its update. r_abs is transformed, scaled, normalised and clipped like any
// reward, so the critic's targets stay within clip / (1 - gamma).
#include <memory>
#include <optional>

#include "credo/gail/adaptive_clip.h"
#include "credo/gail/discriminator.h"
#include "credo/gail/imitation_options.h"
#include "credo/gail/reward_transform.h"
#include "credo/nn/running_mean_std.h"
#include "credo/rl/learner.h"
#include "credo/rl/update_stats.h"

namespace credo::gail {

class AdversarialReward : public rl::RewardSource {
 public:
  AdversarialReward(Discriminator& discriminator, const RewardOptions& options, rl::UpdateStats& stats);

  // obs [B, obs_dim] raw, actions [B, act_dim] in [-1, 1], terminated [B, 1]; returns [B, 1] learning
  // rewards.
  torch::Tensor rewards(const torch::Tensor& obs, const torch::Tensor& actions, const torch::Tensor& next_obs,
                        const torch::Tensor& terminated) override;
  // The learning reward of the absorbing state (with the zero action); absorbing states only.
  double absorbing_reward() const { return absorbing_reward(upper_clip()); }
  // The learning rewards `rewards` would give now, with `upper_clip` as the upper clip (inf: none), changing
  // nothing: no statistics, no update of the normaliser or the adaptive clip's window. credo's reward for a
  // user's own learner (the Python package's credo.load_reward).
  torch::Tensor score(const torch::Tensor& obs, const torch::Tensor& actions, const torch::Tensor& terminated,
                      double upper_clip) const;
  // The upper clip now: the fixed `clip`, or the adaptive threshold.
  double upper_clip() const;

  const nn::RunningMeanStd& normalizer() const { return normalizer_; }
  nn::RunningMeanStd& normalizer() { return normalizer_; }
  // The adaptive clip, when the run has one.
  std::optional<AdaptiveClip>& adaptive_clip() { return adaptive_clip_; }
  const std::optional<AdaptiveClip>& adaptive_clip() const { return adaptive_clip_; }

 private:
  Discriminator& discriminator_;
  RewardOptions options_;
  std::unique_ptr<RewardTransform> transform_;
  rl::UpdateStats& stats_;
  nn::RunningMeanStd normalizer_{1};
  std::optional<AdaptiveClip> adaptive_clip_;
  // The discriminator's logits for real (not absorbing) states.
  torch::Tensor logits(const torch::Tensor& obs, const torch::Tensor& actions) const;
  // The running-std normalisation of transformed, scaled rewards; identity when off. The clip comes after it.
  void update_normalizer(const torch::Tensor& r);
  torch::Tensor normalize(const torch::Tensor& r) const;
  double absorbing_reward(double upper_clip) const;
  // Adds the absorbing state's discounted value to the learning reward of terminated transitions.
  torch::Tensor with_absorbing_value(torch::Tensor learning, const torch::Tensor& terminated,
                                     double upper_clip) const;
};

}  // namespace credo::gail
