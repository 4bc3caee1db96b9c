// Vectorised stepping: the same episodes as N separate envs, for any thread count, with same-step autoreset.
#include "credo/envs/vector_env.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>

#include "credo/core/rng.h"
#include "credo/core/thread_pool.h"
#include "credo/envs/registry.h"

namespace credo::envs {
namespace {

TEST(VectorEnv, MatchesSeparateEnvsWithAutoreset) {
  constexpr int n = 4;
  VectorEnv vec("Hopper-v5", n, 2);
  std::vector<std::unique_ptr<Env>> single;
  for (int i = 0; i < n; ++i) {
    single.push_back(make_env("Hopper-v5"));
    single.back()->reset(100 + static_cast<std::uint64_t>(i));
  }
  vec.reset(100);
  const std::size_t obs_size = vec.spec().observation_space.size();
  Rng rng(1);
  int episodes_ended = 0;
  for (int t = 0; t < 400; ++t) {
    std::vector<double> actions(n * 3);
    for (double& a : actions) a = rng.uniform(-1, 1);
    vec.step(actions);
    for (int i = 0; i < n; ++i) {
      Env& env = *single[static_cast<std::size_t>(i)];
      const auto r = env.step(std::span<const double>(actions).subspan(static_cast<std::size_t>(i) * 3, 3));
      ASSERT_EQ(vec.rewards()[static_cast<std::size_t>(i)], r.reward);
      ASSERT_EQ(vec.terminated(i), r.terminated);
      ASSERT_EQ(vec.truncated(i), r.truncated);
      if (r.terminated || r.truncated) {
        ++episodes_ended;
        const auto final_obs = vec.final_observation(i);
        ASSERT_TRUE(std::equal(final_obs.begin(), final_obs.end(), env.observation().begin()));
        env.reset();  // continues the env's own stream, as the vector env does
      }
      const auto obs = vec.observations().subspan(static_cast<std::size_t>(i) * obs_size, obs_size);
      ASSERT_TRUE(std::equal(obs.begin(), obs.end(), env.observation().begin()))
          << "env " << i << " step " << t;
    }
  }
  EXPECT_GT(episodes_ended, 4)
      << "random actions end hopper episodes quickly; autoreset must have been exercised";
}

TEST(VectorEnv, ThreadCountDoesNotChangeResults) {
  std::vector<double> rewards[2];
  for (int threads : {1, 2}) {
    VectorEnv vec("Walker2d-v5", 6, threads);
    vec.reset(7);
    Rng rng(2);
    for (int t = 0; t < 200; ++t) {
      std::vector<double> actions(6 * 6);
      for (double& a : actions) a = rng.uniform(-1, 1);
      vec.step(actions);
      for (double r : vec.rewards()) rewards[threads - 1].push_back(r);
    }
  }
  EXPECT_EQ(rewards[0], rewards[1]);
}

// The Python package draws every initial state itself: reset_to and set_next_initial_state put each copy
// exactly where a single env's reset_to puts it, also at an autoreset; float32 actions take the float32 step.
TEST(VectorEnv, StartsEpisodesFromGivenStatesAndStepsFloat32Actions) {
  VectorEnv vec("Hopper-v5", 2, 2);
  auto single = make_env("Hopper-v5");
  for (int i = 0; i < 2; ++i) vec.env(i).set_max_episode_steps(5);
  single->set_max_episode_steps(5);
  const std::vector<double> qpos = {0.0, 1.25, 0.01, -0.02, 0.03, 0.0}, qvel(6, 0.1);
  const std::vector<double> next_qpos = {0.1, 1.3, 0.0, 0.0, 0.0, 0.05}, next_qvel(6, -0.2);
  for (int i = 0; i < 2; ++i) {
    vec.reset_to(i, qpos, qvel);
    vec.set_next_initial_state(i, next_qpos, next_qvel);
  }
  single->reset_to(qpos, qvel);
  const std::vector<float> actions = {0.5f, -0.25f, 0.1f, 0.5f, -0.25f, 0.1f};
  for (int t = 0; t < 5; ++t) {
    vec.step(std::span<const float>(actions));
    const auto r = single->step(std::span<const float>(actions).first(3));
    ASSERT_EQ(vec.rewards()[0], r.reward);
    ASSERT_EQ(vec.rewards()[1], r.reward);
  }
  ASSERT_TRUE(vec.truncated(0) && vec.truncated(1));
  const auto ended = single->observation();
  const auto final_obs = vec.final_observation(1);
  EXPECT_TRUE(std::equal(final_obs.begin(), final_obs.end(), ended.begin()));
  single->reset_to(next_qpos, next_qvel);
  for (std::size_t k = 0; k < 11; ++k) {
    EXPECT_EQ(vec.observations()[k], single->observation()[k]);
    EXPECT_EQ(vec.observations()[11 + k], single->observation()[k]);
  }
  EXPECT_THROW(vec.set_next_initial_state(0, qvel, std::vector<double>(5, 0.0)), std::invalid_argument);
  auto nan_qpos = next_qpos;
  nan_qpos[1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(vec.set_next_initial_state(0, nan_qpos, next_qvel), std::invalid_argument);
  EXPECT_THROW(vec.env(0).set_max_episode_steps(0), std::invalid_argument);
}

TEST(VectorEnv, RejectsWrongActionCountAndAskingForAFinalObservationTooEarly) {
  VectorEnv vec("Pendulum-v1", 3);
  vec.reset(0);
  EXPECT_THROW(vec.step(std::vector<double>(2, 0.0)), std::invalid_argument);
  vec.step(std::vector<double>(3, 0.0));
  EXPECT_THROW(vec.final_observation(0), std::logic_error);
}

TEST(ThreadPool, CoversTheRangeExactlyOnceAndRethrows) {
  ThreadPool pool(2);
  for (std::size_t n : {0u, 1u, 2u, 3u, 17u, 1000u}) {
    std::vector<std::atomic<int>> hits(n);
    pool.parallel_for(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) hits[i]++;
    });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n " << n << " i " << i;
  }
  EXPECT_THROW(pool.parallel_for(10,
                                 [](std::size_t b, std::size_t) {
                                   if (b > 0) throw std::runtime_error("worker chunk failed");
                                 }),
               std::runtime_error);
  int after = 0;
  pool.parallel_for(1, [&](std::size_t, std::size_t) { after = 1; });  // still usable
  EXPECT_EQ(after, 1);
}

}  // namespace
}  // namespace credo::envs
