#include "credo/telemetry/collapse_detector.h"

#include <cmath>
#include <limits>

namespace credo::telemetry {

namespace {
constexpr double kLearnedNormalized = 0.25;     // with demonstrations: a quarter of the way to the expert
constexpr double kLearnedRandomStds = 3.0;      // without: clear of what a random policy scores
constexpr double kFallenFractionOfBest = 0.5;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

CollapseDetector::CollapseDetector(int window, double random_return, double random_std,
                                   std::optional<double> expert_return)
    : window_(window),
      random_(random_return),
      random_std_(random_std),
      expert_(expert_return),
      best_(-std::numeric_limits<double>::infinity()) {}

double CollapseDetector::normalized(double eval_return) const {
  const double reference = expert_ ? *expert_ : best_;
  const double span = reference - random_;
  return span > 0 ? (eval_return - random_) / span : kNaN;
}

bool CollapseDetector::learned() const {
  if (!std::isfinite(best_)) return false;
  if (expert_) return normalized(best_) >= kLearnedNormalized;
  return best_ - random_ > kLearnedRandomStds * random_std_ && best_ > random_;
}

double CollapseDetector::threshold() const {
  return learned() ? kFallenFractionOfBest * normalized(best_) : kNaN;
}

CollapseDetector::Change CollapseDetector::observe(std::int64_t step, double eval_return) {
  if (!std::isfinite(eval_return)) return Change::kNone;
  if (eval_return > best_) best_ = eval_return;
  // R - random < half of (best - random): the same test on either scale.
  const bool fallen = learned() && eval_return - random_ < kFallenFractionOfBest * (best_ - random_);
  if (!fallen) {
    const bool was_collapsed = collapsed();
    fallen_in_a_row_ = 0;
    return was_collapsed ? Change::kRecovery : Change::kNone;
  }
  if (fallen_in_a_row_++ == 0) fall_step_ = step;
  if (fallen_in_a_row_ == window_) {
    ++collapses_;
    return Change::kCollapse;
  }
  return Change::kNone;
}

}  // namespace credo::telemetry
