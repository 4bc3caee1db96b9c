#include "credo/gail/adaptive_clip.h"

#include <algorithm>
#include <cmath>

namespace credo::gail {

AdaptiveClip::AdaptiveClip(double quantile, std::int64_t window, std::int64_t refresh)
    : quantile_(quantile),
      window_(static_cast<std::size_t>(window)),
      refresh_(static_cast<std::size_t>(std::max<std::int64_t>(1, refresh))),
      min_values_(std::max<std::size_t>(1, window_ / 10)) {
  ring_.reserve(window_);
}

void AdaptiveClip::add(std::span<const float> rewards) {
  for (const float r : rewards) {
    if (!std::isfinite(r)) continue;  // a non-finite reward is divergence's business, not the threshold's
    if (ring_.size() < window_) {
      ring_.push_back(r);
    } else {
      ring_[next_] = r;
    }
    next_ = (next_ + 1) % window_;
    ++since_refresh_;
  }
  if (ring_.size() >= min_values_ && (since_refresh_ >= refresh_ || !std::isfinite(threshold_))) {
    refresh_threshold();
  }
}

void AdaptiveClip::refresh_threshold() {
  since_refresh_ = 0;
  std::vector<float> sorted(ring_);
  // The lower empirical quantile: the k-th smallest with k = ceil(q n) (no interpolation).
  const auto k = static_cast<std::size_t>(
      std::clamp(std::ceil(quantile_ * static_cast<double>(sorted.size())), 1.0, static_cast<double>(sorted.size())));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k - 1), sorted.end());
  threshold_ = sorted[k - 1];
}

AdaptiveClip::State AdaptiveClip::state() const {
  State state{ring_, threshold_, static_cast<std::int64_t>(since_refresh_)};
  if (ring_.size() == window_) {
    std::rotate(state.values.begin(), state.values.begin() + static_cast<std::ptrdiff_t>(next_),
                state.values.end());
  }
  return state;
}

void AdaptiveClip::restore(const State& state) {
  const std::span<const float> values(state.values);
  const auto kept = values.size() > window_ ? values.subspan(values.size() - window_) : values;
  ring_.assign(kept.begin(), kept.end());
  next_ = ring_.size() % window_;
  threshold_ = state.threshold;
  since_refresh_ = static_cast<std::size_t>(std::max<std::int64_t>(0, state.since_refresh));
}

}  // namespace credo::gail
