#pragma once
// CREDO's clip with a threshold that follows the reward (credo's extension; the paper, arXiv 2312.11214, fixes
// c by hand and leaves its choice open). The threshold is the `quantile` (default 0.99) of the last `window`
// learning rewards before clipping (default 100,000: about 1,000 relabelled batches of 100, i.e. the last
// thousand updates of an off-policy learner at DAC's one update per env step), refreshed every
// `refresh` rewards; no clip until `window / 10` rewards are in.
//
// Why a quantile of the recent rewards: a fixed c means something different for each transform and task (5 is
// D = 0.9933 for `gail`, a logit of 5 for `airl`, and far above Pendulum's rewards of about 0.7, where it
// never binds), and the scale of the discriminator's reward drifts as it trains. What the clip is for is the
// paper's disparity event, a few imitator samples the discriminator scores far above the rest, whose rewards
// drive the critic's targets up. A high quantile cuts that tail wherever the bulk of the rewards lies, and
// because the window trails the current batch, a sudden jump of the rewards is cut at the level the rewards
// had just before it, while a slow shift of the whole distribution is followed.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace credo::gail {

class AdaptiveClip {
 public:
  AdaptiveClip(double quantile, std::int64_t window, std::int64_t refresh = 1000);

  // The threshold for the rewards about to be clipped: from those added before (inf until enough are in).
  double threshold() const { return threshold_; }
  // Adds rewards (before clipping) to the window.
  void add(std::span<const float> rewards);

  // For checkpoints: the window in order of arrival (oldest first), the threshold and the rewards added since
  // it was computed, so that a resumed run clips as the uninterrupted one would.
  struct State {
    std::vector<float> values;
    double threshold = std::numeric_limits<double>::infinity();
    std::int64_t since_refresh = 0;
  };
  State state() const;
  void restore(const State& state);

 private:
  void refresh_threshold();

  double quantile_;
  std::size_t window_, refresh_, min_values_;
  std::vector<float> ring_;
  std::size_t next_ = 0, since_refresh_ = 0;
  double threshold_ = std::numeric_limits<double>::infinity();
};

}  // namespace credo::gail
