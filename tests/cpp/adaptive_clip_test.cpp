// credo's adaptive clip (src/credo/gail/adaptive_clip.h): its threshold, its window and its checkpoint state.
#include "credo/gail/adaptive_clip.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace credo::gail {
namespace {

std::vector<float> range(float first, int count) {
  std::vector<float> v(static_cast<std::size_t>(count));
  std::iota(v.begin(), v.end(), first);
  return v;
}

TEST(AdaptiveClip, NoClipUntilATenthOfTheWindowIsIn) {
  AdaptiveClip clip(0.9, 1000, 100);
  clip.add(range(1, 99));
  EXPECT_TRUE(std::isinf(clip.threshold()));
  clip.add(range(100, 1));
  EXPECT_EQ(clip.threshold(), 90.0);  // the 90th of 1..100
}

TEST(AdaptiveClip, ThresholdIsTheQuantileOfTheLastWindowAndRefreshesOnSchedule) {
  AdaptiveClip clip(0.99, 1000, 100);
  clip.add(range(1, 1000));
  EXPECT_EQ(clip.threshold(), 990.0);
  clip.add(range(10001, 99));  // fewer than `refresh` new rewards: the threshold stays
  EXPECT_EQ(clip.threshold(), 990.0);
  clip.add(range(20000, 901));  // the window is now 1..1000 minus its oldest 1000: only the new values
  const auto state = clip.state();
  ASSERT_EQ(state.values.size(), 1000U);
  EXPECT_EQ(state.values.front(), 10001.0F);  // oldest first
  EXPECT_EQ(clip.threshold(), 20890.0);       // 10 of the 1000 lie above: 20891..20900
}

TEST(AdaptiveClip, NonFiniteRewardsAreLeftOut) {
  AdaptiveClip clip(0.5, 100, 1);
  std::vector<float> v = range(1, 10);
  v.push_back(std::nanf(""));
  v.push_back(INFINITY);
  clip.add(v);
  EXPECT_EQ(clip.state().values.size(), 10U);
  EXPECT_EQ(clip.threshold(), 5.0);
}

TEST(AdaptiveClip, RestoredStateClipsAsTheOriginal) {
  AdaptiveClip a(0.9, 500, 50), b(0.9, 500, 50);
  for (int i = 0; i < 17; ++i) a.add(range(static_cast<float>(i * 37 % 101), 40));
  b.restore(a.state());
  for (int i = 0; i < 9; ++i) {
    const auto batch = range(static_cast<float>(i * 53 % 89), 30);
    a.add(batch);
    b.add(batch);
    EXPECT_EQ(a.threshold(), b.threshold());
  }
}

}  // namespace
}  // namespace credo::gail
