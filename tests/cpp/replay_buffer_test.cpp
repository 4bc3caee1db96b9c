// Replay buffer: ring overwrite, consistent rows, seeded sampling, terminated and truncated kept apart.
#include "credo/rl/replay_buffer.h"

#include <gtest/gtest.h>

#include <set>

namespace credo::rl {
namespace {

// Transition k: obs = [k, k+0.5], action = [-k], reward = 10k, next_obs = [k+1, k+1.5].
void add_transition(ReplayBuffer& buffer, int k, bool terminated = false, bool truncated = false) {
  const double obs[] = {static_cast<double>(k), k + 0.5};
  const double next[] = {static_cast<double>(k + 1), k + 1.5};
  const double act[] = {static_cast<double>(-k)};
  buffer.add(obs, act, 10.0 * k, next, terminated, truncated);
}

TEST(ReplayBuffer, OverwritesTheOldestWhenFull) {
  ReplayBuffer buffer(2, 1, 5);
  for (int k = 0; k < 8; ++k) add_transition(buffer, k);
  EXPECT_EQ(buffer.size(), 5u);
  Rng rng(0);
  const Batch batch = buffer.sample(500, rng);
  std::set<int> seen;
  for (std::int64_t i = 0; i < 500; ++i)
    seen.insert(static_cast<int>(batch.observations[i][0].item<float>()));
  EXPECT_EQ(seen, (std::set<int>{3, 4, 5, 6, 7}));
}

TEST(ReplayBuffer, SampledRowsBelongTogether) {
  ReplayBuffer buffer(2, 1, 100);
  for (int k = 0; k < 50; ++k) add_transition(buffer, k, k % 7 == 0, k % 11 == 0);
  Rng rng(3);
  const Batch b = buffer.sample(256, rng);
  EXPECT_EQ(b.observations.sizes(), (std::vector<std::int64_t>{256, 2}));
  EXPECT_EQ(b.rewards.sizes(), (std::vector<std::int64_t>{256, 1}));
  for (std::int64_t i = 0; i < 256; ++i) {
    const float k = b.observations[i][0].item<float>();
    EXPECT_EQ(static_cast<float>(b.indices[static_cast<std::size_t>(i)]), k);
    EXPECT_EQ(b.observations[i][1].item<float>(), k + 0.5f);
    EXPECT_EQ(b.next_observations[i][0].item<float>(), k + 1.0f);
    EXPECT_EQ(b.actions[i][0].item<float>(), -k);
    EXPECT_EQ(b.rewards[i][0].item<float>(), 10.0f * k);
    const int ki = static_cast<int>(k);
    EXPECT_EQ(b.terminated[i][0].item<float>(), ki % 7 == 0 ? 1.0f : 0.0f);
    EXPECT_EQ(b.truncated[i][0].item<float>(), ki % 11 == 0 ? 1.0f : 0.0f);
  }
}

TEST(ReplayBuffer, SameSeedSameBatchAndUniformCoverage) {
  ReplayBuffer buffer(2, 1, 10);
  for (int k = 0; k < 10; ++k) add_transition(buffer, k);
  Rng a(7), b(7);
  EXPECT_EQ(buffer.sample(64, a).indices, buffer.sample(64, b).indices);
  Rng rng(9);
  std::vector<int> counts(10, 0);
  for (auto i : buffer.sample(10000, rng).indices) counts[static_cast<std::size_t>(i)]++;
  for (int c : counts) EXPECT_NEAR(c, 1000, 150);
}

TEST(ReplayBuffer, RejectsWrongSizesAndEmptySampling) {
  ReplayBuffer buffer(2, 1, 4);
  Rng rng(0);
  EXPECT_THROW(buffer.sample(1, rng), std::logic_error);
  const double obs[] = {0.0, 0.0, 0.0};
  const double act[] = {0.0};
  EXPECT_THROW(buffer.add(obs, act, 0.0, std::span<const double>(obs, 2), false, false),
               std::invalid_argument);
  EXPECT_THROW(ReplayBuffer(2, 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace credo::rl
