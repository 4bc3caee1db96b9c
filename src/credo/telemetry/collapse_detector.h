#pragma once
// Return collapse: a run that learned and then lost it, as a user sees it in the evaluation curve (the paper's
// "divergence", arXiv 2312.11214, read as what happens to the return rather than to the networks' values).
// docs/telemetry.md gives the definition and the measurements behind the defaults:
// - each evaluation's mean return R is normalised n = (R - random) / (reference - random), the reference
//   being the demonstrations' expert return, or, for runs without demonstrations, the run's own best R;
// - the run has learned once its best normalised return reaches 0.25 (with demonstrations), or once its best
//   R exceeds the random policy's return by more than 3 standard deviations of the random policy's returns
//   (without: the own-best scale makes every best 1);
// - an evaluation has fallen when the run has learned and n < half the best n so far;
// - a collapse begins when `window` evaluations in a row have fallen (the step of the first of them is where
//   the fall began), and ends at the next evaluation that has not; the run's status is `collapsed` when it
//   ends inside one (its last `window` evaluations fell). A dip shorter than the window, or one the run climbs
//   out of before its end, is not a collapse.
#include <cstdint>
#include <optional>

namespace credo::telemetry {

class CollapseDetector {
 public:
  // What an evaluation changed.
  enum class Change { kNone, kCollapse, kRecovery };

  // `random_return` and `random_std`: mean and std of a uniformly random policy's evaluation returns;
  // `expert_return`: the demonstrations' mean return, when the run has any.
  CollapseDetector(int window, double random_return, double random_std, std::optional<double> expert_return);

  Change observe(std::int64_t step, double eval_return);

  bool collapsed() const { return fallen_in_a_row_ >= window_; }
  // The first fallen evaluation of the collapse the run is in (-1 when it is in none).
  std::int64_t fall_step() const { return collapsed() ? fall_step_ : -1; }
  std::int64_t collapses() const { return collapses_; }
  // n of `eval_return` on this run's scale, and the fall threshold (half the best n; NaN before learning).
  double normalized(double eval_return) const;
  double threshold() const;

 private:
  bool learned() const;

  int window_;
  double random_, random_std_;
  std::optional<double> expert_;
  double best_;  // best raw evaluation return so far
  int fallen_in_a_row_ = 0;
  std::int64_t fall_step_ = -1, collapses_ = 0;
};

}  // namespace credo::telemetry
