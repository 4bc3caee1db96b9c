// Demonstration files: what credo writes it reads back unchanged, in both formats, and validation catches
// inconsistent data before anything uses it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "credo/core/error.h"
#include "credo/demos/demo_files.h"

namespace credo::demos {
namespace {

Demonstrations two_episodes() {
  Demonstrations d;
  d.env_id = "Pendulum-v1";
  d.obs_dim = 3;
  d.act_dim = 1;
  for (int t = 0; t < 7; ++t) {
    const std::vector<double> obs{0.1 * t, -0.2 * t, 1.0 + t}, next{0.1 * (t + 1), -0.2 * (t + 1), 2.0 + t};
    const std::vector<float> action{0.25f * static_cast<float>(t) - 1.0f};
    d.append(obs, action, -1.5 * t, next, t == 2, t == 6);
  }
  d.expert_return_mean = -12.5;
  d.expert_return_std = 0.5;
  d.collection_seed = 9;
  d.noise = 0.1;
  d.algo = "sac";
  return d;
}

class DemoFiles : public ::testing::TestWithParam<std::string> {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("credo_demos_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST(Demonstrations, AppendStartsEpisodesAfterTerminalsAndTimeouts) {
  const auto d = two_episodes();
  EXPECT_EQ(d.size(), 7);
  EXPECT_EQ(d.episode_starts, (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(d.episode_length(0), 3);
  EXPECT_EQ(d.episode_length(1), 4);
  EXPECT_DOUBLE_EQ(d.episode_returns()[0], -1.5 * (0 + 1 + 2));
  auto derived = d;
  derived.derive_episode_starts();
  EXPECT_EQ(derived.episode_starts, d.episode_starts);
}

TEST_P(DemoFiles, RoundTripKeepsEverything) {
  const auto d = two_episodes();
  const auto path = dir / ("demos" + GetParam());
  save_demonstrations(path, d);
  const auto r = load_demonstrations(path.string());
  EXPECT_EQ(r.env_id, d.env_id);
  EXPECT_EQ(r.obs_dim, 3);
  EXPECT_EQ(r.act_dim, 1);
  EXPECT_EQ(r.observations, d.observations);
  EXPECT_EQ(r.actions, d.actions);
  EXPECT_EQ(r.rewards, d.rewards);
  EXPECT_EQ(r.terminals, d.terminals);
  EXPECT_EQ(r.timeouts, d.timeouts);
  EXPECT_EQ(r.next_observations, d.next_observations);
  EXPECT_EQ(r.episode_starts, d.episode_starts);
  EXPECT_DOUBLE_EQ(r.expert_return_mean, -12.5);
  EXPECT_DOUBLE_EQ(r.expert_return_std, 0.5);
  EXPECT_EQ(r.collection_seed, 9);
  EXPECT_DOUBLE_EQ(r.noise, 0.1);
  EXPECT_EQ(r.algo, "sac");
  EXPECT_FALSE(r.credo_version.empty());
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()),
            1);
}

INSTANTIATE_TEST_SUITE_P(Formats, DemoFiles, ::testing::Values(".h5", ".npz"));

TEST(Demonstrations, ValidationNamesTheProblem) {
  auto d = two_episodes();
  d.actions.pop_back();
  try {
    validate(d, "x.h5");
    FAIL() << "mismatched lengths accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'actions' has 6 rows"), std::string::npos) << e.what();
  }
  d = two_episodes();
  d.next_observations[5] = std::nanf("");
  EXPECT_THROW(validate(d, "x.h5"), UsageError);
  d = two_episodes();
  d.episode_starts = {0, 3, 3};
  EXPECT_THROW(validate(d, "x.h5"), UsageError);
  EXPECT_THROW(validate(Demonstrations{}, "x.h5"), UsageError);
  EXPECT_THROW(validate_for_env(two_episodes(), "x.h5", "Hopper-v5", 11, 3), UsageError);
  EXPECT_THROW(validate_for_env(two_episodes(), "x.h5", "Pendulum-v2", 3, 1), UsageError);
  EXPECT_NO_THROW(validate_for_env(two_episodes(), "x.h5", "Pendulum-v1", 3, 1));
}

TEST(Demonstrations, WritingAnUnknownFormatIsRefused) {
  EXPECT_THROW(save_demonstrations("demos.csv", two_episodes()), UsageError);
}

}  // namespace
}  // namespace credo::demos
