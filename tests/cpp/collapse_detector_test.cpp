// The return-collapse rule (src/credo/telemetry/collapse_detector.h) on synthetic evaluation curves.
#include "credo/telemetry/collapse_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace credo::telemetry {
namespace {

using Change = CollapseDetector::Change;

// Feeds `returns` at steps 1000, 2000, ... and gives the changes they caused.
std::vector<Change> feed(CollapseDetector& d, const std::vector<double>& returns) {
  std::vector<Change> changes;
  for (std::size_t i = 0; i < returns.size(); ++i) {
    changes.push_back(d.observe(static_cast<std::int64_t>(i + 1) * 1000, returns[i]));
  }
  return changes;
}

// With demonstrations: random 0, expert 100, so returns read as percent of the expert.
CollapseDetector with_expert(int window) { return CollapseDetector(window, 0.0, 5.0, 100.0); }

TEST(CollapseDetector, FlagsAFallThatLastsToTheEnd) {
  auto d = with_expert(3);
  const auto changes = feed(d, {10, 60, 95, 90, 40, 20, 10, 5});
  EXPECT_TRUE(d.collapsed());
  EXPECT_EQ(d.fall_step(), 5000);  // 40 < 95 / 2: the first fallen evaluation
  EXPECT_EQ(changes[6], Change::kCollapse);  // the third fallen evaluation in a row
  EXPECT_EQ(d.collapses(), 1);
  EXPECT_DOUBLE_EQ(d.threshold(), 0.475);
  EXPECT_DOUBLE_EQ(d.normalized(5), 0.05);
}

TEST(CollapseDetector, ADipThatRecoversIsNoCollapse) {
  auto d = with_expert(3);
  feed(d, {50, 90, 30, 20, 80, 85, 40, 88});
  EXPECT_FALSE(d.collapsed());
  EXPECT_EQ(d.fall_step(), -1);
  EXPECT_EQ(d.collapses(), 0);
}

TEST(CollapseDetector, AFallClimbedOutOfBeforeTheEndIsRecordedButTheRunEndsUncollapsed) {
  auto d = with_expert(2);
  const auto changes = feed(d, {80, 30, 20, 10, 70, 75});
  EXPECT_EQ(changes[2], Change::kCollapse);
  EXPECT_EQ(changes[4], Change::kRecovery);
  EXPECT_FALSE(d.collapsed());
  EXPECT_EQ(d.collapses(), 1);
}

TEST(CollapseDetector, ARunThatNeverLearnedNeverCollapses) {
  auto d = with_expert(2);
  feed(d, {5, 24, 3, 1, 0, -2, 0});  // best 0.24 of the expert: below the 0.25 that counts as learned
  EXPECT_FALSE(d.collapsed());
  EXPECT_TRUE(std::isnan(d.threshold()));
}

TEST(CollapseDetector, AFallShorterThanTheWindowAtTheEndIsNoCollapse) {
  auto d = with_expert(3);
  feed(d, {90, 95, 30, 20});
  EXPECT_FALSE(d.collapsed());
}

TEST(CollapseDetector, WithoutDemonstrationsTheScaleIsTheRunsOwnBest) {
  // Pendulum-like returns: random -1250 (std 100), the run climbs to -150 and falls back.
  CollapseDetector d(3, -1250.0, 100.0, std::nullopt);
  feed(d, {-1200, -600, -150, -300, -800, -1100, -1250});
  EXPECT_TRUE(d.collapsed());
  EXPECT_EQ(d.fall_step(), 5000);  // -800 is below -700, half way from random to the best
  EXPECT_DOUBLE_EQ(d.normalized(-150), 1.0);
}

TEST(CollapseDetector, WithoutDemonstrationsNoiseAroundTheRandomPolicyIsNotLearning) {
  CollapseDetector d(2, 20.0, 10.0, std::nullopt);
  feed(d, {25, 45, 18, 15, 19});  // the best is 2.5 random stds above the random policy
  EXPECT_FALSE(d.collapsed());
}

TEST(CollapseDetector, NonFiniteEvaluationsAreSkipped) {
  auto d = with_expert(1);
  feed(d, {90, std::nan(""), 95});
  EXPECT_FALSE(d.collapsed());
}

}  // namespace
}  // namespace credo::telemetry
