// Demonstration files: what credo writes it reads back unchanged, in both formats, and validation catches
// inconsistent data before anything uses it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "credo/core/error.h"
#include "credo/demos/demo_files.h"
#include "credo/demos/expert_transitions.h"
#include "temp_dir.h"

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

envs::EnvSpec spec_like(const std::string& id, std::size_t obs_dim, std::size_t act_dim) {
  envs::EnvSpec spec;
  spec.id = id;
  spec.observation_space = {std::vector<double>(obs_dim, -1e9), std::vector<double>(obs_dim, 1e9)};
  spec.action_space = {std::vector<double>(act_dim, -2.0), std::vector<double>(act_dim, 2.0)};
  return spec;
}

class DemoFiles : public ::testing::TestWithParam<std::string> {
 protected:
  // A folder of this test case's own: the .h5 and .npz cases run in parallel under `ctest -j`.
  testing::TempDir temp{"credo_demos_test"};
  const std::filesystem::path& dir = temp.path();
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
  EXPECT_THROW(validate_for_env(two_episodes(), "x.h5", spec_like("Hopper-v5", 11, 3)), UsageError);
  EXPECT_THROW(validate_for_env(two_episodes(), "x.h5", spec_like("Pendulum-v2", 3, 1)), UsageError);
  EXPECT_NO_THROW(validate_for_env(two_episodes(), "x.h5", spec_like("Pendulum-v1", 3, 1)));
}

// Validates against `spec` and returns what was written to stderr (the warnings).
std::string warnings_of(const Demonstrations& d, const envs::EnvSpec& spec) {
  ::testing::internal::CaptureStderr();
  try {
    validate_for_env(d, "x.h5", spec);
  } catch (...) {
    ::testing::internal::GetCapturedStderr();
    throw;
  }
  return ::testing::internal::GetCapturedStderr();
}

TEST(Demonstrations, ActionsFarOutsideTheBoundsAreRefusedAndSlightlyOutsideWarned) {
  auto spec = spec_like("Pendulum-v1", 3, 1);
  spec.can_terminate = true;
  EXPECT_EQ(warnings_of(two_episodes(), spec), "");
  auto d = two_episodes();
  d.actions[1] = 2.5f;  // half a bound-width outside [-2, 2]: an unclipped Gaussian action
  d.actions[4] = -2.1f;
  const auto text = warnings_of(d, spec);
  EXPECT_NE(text.find("2 of 7 action values lie outside Pendulum-v1's bounds"), std::string::npos) << text;
  for (const float far : {100.f * 2.f, 1e30f}) {
    d = two_episodes();
    d.actions[3] = far;
    try {
      warnings_of(d, spec);
      FAIL() << far << " accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("action 0 of transition 3"), std::string::npos) << e.what();
    }
  }
}

TEST(Demonstrations, OddEpisodeStructureIsWarnedWithItsCount) {
  auto spec = spec_like("Pendulum-v1", 3, 1);
  spec.max_episode_steps = 3;
  auto text = warnings_of(two_episodes(), spec);  // episodes of 3 and 4 steps; one terminal on Pendulum
  EXPECT_NE(text.find("1 of 2 episodes are longer than Pendulum-v1's time limit of 3 steps (longest 4)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 of 7 transitions are terminal, but Pendulum-v1 episodes never terminate"),
            std::string::npos)
      << text;
  spec.max_episode_steps = 200;
  spec.can_terminate = true;
  auto d = two_episodes();
  for (auto& t : d.terminals) t = 1;
  d.derive_episode_starts();
  text = warnings_of(d, spec);
  EXPECT_NE(text.find("every one of its 7 transitions is terminal"), std::string::npos) << text;
}

TEST(Demonstrations, WritingAnUnknownFormatIsRefused) {
  EXPECT_THROW(save_demonstrations("demos.csv", two_episodes()), UsageError);
}

// Three episodes: 40 steps ending in a termination, 30 cut by the time limit, 25 ending in a termination.
// Observation 0 holds the episode, observation 1 the step within it; the action is the step in [0, 100].
Demonstrations three_episodes() {
  Demonstrations d;
  d.obs_dim = 2;
  d.act_dim = 1;
  const int lengths[] = {40, 30, 25};
  for (int e = 0; e < 3; ++e) {
    for (int t = 0; t < lengths[e]; ++t) {
      const std::vector<double> obs{static_cast<double>(e), static_cast<double>(t)};
      const std::vector<float> action{static_cast<float>(t)};
      const bool last = t + 1 == lengths[e];
      d.append(obs, action, 1.0, obs, last && e != 1, last && e == 1);
    }
  }
  return d;
}

TEST(ExpertTransitions, SubsampleKeepsEveryKthStepFromAnOffsetPerEpisodeAndEveryAbsorbingRow) {
  const auto d = three_episodes();
  const std::vector<double> low{0.0}, high{100.0};
  const auto x = select_expert_transitions(d, "x.h5", {0, 10, true, 5}, low, high);
  EXPECT_EQ(x.obs_width, 3);
  EXPECT_EQ(x.episodes, 3);
  EXPECT_EQ(x.absorbing_rows, 2);  // episodes 0 and 2 terminated; episode 1 reached the time limit
  std::vector<std::vector<int>> steps(3);
  std::vector<int> absorbing_after;
  for (std::int64_t r = 0; r < x.rows(); ++r) {
    const float* obs = &x.observations[static_cast<std::size_t>(r * 3)];
    if (obs[2] == 1.0F) {
      EXPECT_EQ(obs[0], 0.0F);
      EXPECT_EQ(obs[1], 0.0F);
      EXPECT_EQ(x.actions[static_cast<std::size_t>(r)], 0.0F);
      EXPECT_FLOAT_EQ(x.weights[static_cast<std::size_t>(r)], 0.1F);
      absorbing_after.push_back(static_cast<int>(x.observations[static_cast<std::size_t>((r - 1) * 3)]));
      continue;
    }
    const int step = static_cast<int>(obs[1]);
    steps[static_cast<std::size_t>(obs[0])].push_back(step);
    EXPECT_FLOAT_EQ(x.weights[static_cast<std::size_t>(r)], 1.0F);
    EXPECT_FLOAT_EQ(x.actions[static_cast<std::size_t>(r)], 2.0F * static_cast<float>(step) / 100.0F - 1.0F);
  }
  EXPECT_EQ(absorbing_after, (std::vector<int>{0, 2}));  // each right after its episode's last kept row
  const int lengths[] = {40, 30, 25};
  for (int e = 0; e < 3; ++e) {
    const auto& kept = steps[static_cast<std::size_t>(e)];
    ASSERT_FALSE(kept.empty());
    EXPECT_LT(kept.front(), 10);  // the offset lies in [0, rate)
    for (std::size_t i = 1; i < kept.size(); ++i) EXPECT_EQ(kept[i] - kept[i - 1], 10);
    EXPECT_GE(kept.back(), lengths[e] - 10);  // nothing kept is missing at the end
  }
  // The offsets follow the seed: another seed moves at least one episode's.
  const auto y = select_expert_transitions(d, "x.h5", {0, 10, true, 6}, low, high);
  EXPECT_NE(x.observations, y.observations);
}

TEST(ExpertTransitions, FirstEpisodesOnlyAndNoThinningAtRateOne) {
  const auto d = three_episodes();
  const std::vector<double> low{0.0}, high{100.0};
  const auto x = select_expert_transitions(d, "x.h5", {2, 1, false, 1}, low, high);
  EXPECT_EQ(x.rows(), 70);
  EXPECT_EQ(x.obs_width, 2);
  EXPECT_EQ(x.absorbing_rows, 0);
  EXPECT_DOUBLE_EQ(x.expert_return, (40.0 + 30.0 + 25.0) / 3.0);  // no recorded return: the file's mean
}

TEST(ExpertTransitions, BadSubsampleIsAUsageErrorNamingTheLimit) {
  const auto d = three_episodes();
  const std::vector<double> low{0.0}, high{100.0};
  EXPECT_THROW(select_expert_transitions(d, "x.h5", {0, 0, false, 1}, low, high), UsageError);
  EXPECT_NO_THROW(select_expert_transitions(d, "x.h5", {0, 1, false, 1}, low, high));
  try {
    select_expert_transitions(d, "x.h5", {0, 26, false, 1}, low, high);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("shortest of the 3 selected episodes of x.h5 (25 transitions)"),
              std::string::npos)
        << e.what();
  }
  // Only the selected episodes count: the first two are 40 and 30 long.
  EXPECT_GE(select_expert_transitions(d, "x.h5", {2, 26, false, 1}, low, high).rows(), 2);
}

}  // namespace
}  // namespace credo::demos
