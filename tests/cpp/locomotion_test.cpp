// Task-specific semantics of the MuJoCo locomotion envs (Gymnasium's hopper_v5.py, walker2d_v5.py, half_cheetah_v5.py and their v4 files), beyond the Gymnasium parity test.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/envs/assets.h"
#include "credo/envs/locomotion_env.h"
#include "credo/envs/registry.h"
#include "temp_dir.h"

namespace credo::envs {
namespace {

LocomotionEnv& as_locomotion(Env& env) {
  return dynamic_cast<LocomotionEnv&>(env);
}

std::size_t info_index(const Env& env, const std::string& key) {
  const auto& keys = env.spec().info_keys;
  const auto it = std::find(keys.begin(), keys.end(), key);
  EXPECT_NE(it, keys.end()) << key;
  return static_cast<std::size_t>(it - keys.begin());
}

TEST(Locomotion, ObservationSizesAndRootxExclusion) {
  const std::vector<std::pair<std::string, std::size_t>> sizes = {
      {"Hopper-v5", 11},   {"Hopper-v4", 11},      {"Walker2d-v5", 17},
      {"Walker2d-v4", 17}, {"HalfCheetah-v5", 17}, {"HalfCheetah-v4", 17}};
  for (const auto& [id, size] : sizes) {
    EXPECT_EQ(make_env(id)->spec().observation_space.size(), size) << id;
    auto full = make_env(id, {{"exclude_current_positions_from_observation", false}});
    EXPECT_EQ(full->spec().observation_space.size(), size + 1) << id;
    const auto obs = full->reset(4);
    EXPECT_EQ(obs[0], full->qpos()[0]) << id;
  }
}

TEST(Locomotion, TimestepsMatchGymnasium) {
  EXPECT_DOUBLE_EQ(as_locomotion(*make_env("Hopper-v5")).dt(), 0.008);
  EXPECT_DOUBLE_EQ(as_locomotion(*make_env("Walker2d-v4")).dt(), 0.008);
  EXPECT_DOUBLE_EQ(as_locomotion(*make_env("HalfCheetah-v5")).dt(), 0.05);
  EXPECT_DOUBLE_EQ(as_locomotion(*make_env("Hopper-v5", {{"frame_skip", 2}})).dt(), 0.004);
}

TEST(Locomotion, HopperClipsObservedVelocityButChecksHealthOnRawVelocity) {
  auto env = make_env("Hopper-v5");
  auto qpos = env->qpos();
  std::vector<double> qvel(env->spec().state_qvel_size, 0.0);
  qvel[3] = 50.0;  // thigh joint: clipped to 10 in the observation, still healthy (< 100)
  auto obs = env->reset_to(qpos, qvel);
  EXPECT_EQ(obs[5 + 3], 10.0);
  EXPECT_TRUE(as_locomotion(*env).is_healthy());
  qvel[3] = 150.0;  // outside healthy_state_range (-100, 100) although the observation still shows 10
  obs = env->reset_to(qpos, qvel);
  EXPECT_EQ(obs[5 + 3], 10.0);
  EXPECT_FALSE(as_locomotion(*env).is_healthy());
}

TEST(Locomotion, HalfCheetahObservesRawVelocity) {
  auto env = make_env("HalfCheetah-v5");
  std::vector<double> qvel(env->spec().state_qvel_size, 0.0);
  qvel[0] = 50.0;
  const auto obs = env->reset_to(env->qpos(), qvel);
  EXPECT_EQ(obs[8], 50.0);
}

TEST(Locomotion, V5PaysNoHealthyRewardOnTheTerminalStepV4Does) {
  auto v4 = make_env("Hopper-v4");
  auto v5 = make_env("Hopper-v5");
  v5->reset(1);
  v4->reset_to(v5->qpos(), v5->qvel());
  v5->reset_to(v5->qpos(), v5->qvel());
  Rng rng(3);
  bool terminated = false;
  for (int t = 0; t < 1000 && !terminated; ++t) {
    std::vector<double> a = {rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)};
    const auto r4 = v4->step(std::span<const double>(a));
    const auto r5 = v5->step(std::span<const double>(a));
    ASSERT_EQ(r4.terminated, r5.terminated);
    terminated = r5.terminated;
    // Same physics; only the healthy term on the terminal step differs (issue #526 in Gymnasium's changelog).
    EXPECT_DOUBLE_EQ(r4.reward - r5.reward, terminated ? 1.0 : 0.0) << "step " << t;
  }
  EXPECT_TRUE(terminated) << "random actions should topple the hopper within an episode";
}

TEST(Locomotion, RewardIsTheSumOfItsInfoTerms) {
  for (const std::string id : {"Hopper-v5", "Walker2d-v5", "HalfCheetah-v5"}) {
    auto env = make_env(id);
    env->reset(2);
    Rng rng(5);
    const bool healthy_term = id != "HalfCheetah-v5";
    for (int t = 0; t < 200; ++t) {
      std::vector<double> a(env->spec().action_space.size());
      for (double& x : a) x = rng.uniform(-1, 1);
      const auto r = env->step(std::span<const double>(a));
      const auto info = env->info();
      double sum = info[info_index(*env, "reward_forward")] + info[info_index(*env, "reward_ctrl")];
      if (healthy_term) sum += info[info_index(*env, "reward_survive")];
      EXPECT_NEAR(r.reward, sum, 1e-12) << id << " step " << t;
      if (r.terminated) break;
    }
  }
}

TEST(Locomotion, ResetNoiseHasGymnasiumsDistributions) {
  auto hopper = make_env("Hopper-v5");
  auto cheetah = make_env("HalfCheetah-v5");
  const auto init = as_locomotion(*hopper).qpos();  // after construction: qpos0
  double sum = 0.0, sum_sq = 0.0;
  int n = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    hopper->reset(seed);
    const auto q = hopper->qpos();
    for (std::size_t i = 0; i < q.size(); ++i) ASSERT_LE(std::abs(q[i] - init[i]), 5e-3);
    for (double v : hopper->qvel()) ASSERT_LE(std::abs(v), 5e-3);
    cheetah->reset(seed);
    for (double q0 : cheetah->qpos()) ASSERT_LE(std::abs(q0), 0.1);
    for (double v : cheetah->qvel()) {
      sum += v;
      sum_sq += v * v;
      ++n;
    }
  }
  // HalfCheetah's qvel noise is 0.1 * N(0, 1): over 3600 draws the sample std is within 5% of 0.1.
  const double mean = sum / n;
  const double std = std::sqrt(sum_sq / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(std, 0.1, 0.005);
}

TEST(Locomotion, Walker2dV5UsesTheHigherRightFootFriction) {
  const auto friction = [](const std::string& id) {
    auto env = make_env(id);
    const mjModel& m = as_locomotion(*env).model();
    const int geom = mj_name2id(&m, mjOBJ_GEOM, "foot_geom");
    return m.geom_friction[3 * geom];
  };
  EXPECT_DOUBLE_EQ(friction("Walker2d-v4"), 0.9);
  EXPECT_DOUBLE_EQ(friction("Walker2d-v5"), 1.9);
}

TEST(Locomotion, XmlFileOptionLoadsAPathLikeTheEmbeddedAsset) {
  const testing::TempDir dir("credo_xml_test");
  const auto path = dir / "my_hopper.xml";
  for (const auto& asset : embedded_assets()) {
    if (asset.name == "hopper.xml") std::ofstream(path) << asset.text;
  }
  auto from_file = make_env("Hopper-v5", {{"xml_file", path.string()}});
  auto embedded = make_env("Hopper-v5");
  from_file->reset(3);
  embedded->reset(3);
  std::vector<double> a = {0.5, -0.5, 0.25};
  for (int t = 0; t < 20; ++t) {
    EXPECT_EQ(from_file->step(std::span<const double>(a)).reward,
              embedded->step(std::span<const double>(a)).reward);
  }
  EXPECT_THROW(make_env("Hopper-v5", {{"xml_file", "/nonexistent/hopper.xml"}}), UsageError);
  EXPECT_THROW(make_env("Hopper-v5", {{"frame_skip", 0}}), UsageError);
  EXPECT_THROW(make_env("Hopper-v4", {{"frame_skip", 4}}), UsageError);  // v4 hard-codes it, as Gymnasium
  EXPECT_THROW(make_env("Hopper-v5", {{"healthy_z_range", {1.0, 0.5}}}), UsageError);
  EXPECT_THROW(make_env("Hopper-v5", {{"ctrl_cost_weight", "high"}}), UsageError);
}

TEST(Locomotion, HealthyRangesAreOpenIntervals) {
  // A torso angle exactly at the bound is unhealthy (Gymnasium uses strict inequalities).
  auto env = make_env("Hopper-v5");
  auto qpos = env->qpos();
  qpos[2] = 0.2;
  env->reset_to(qpos, std::vector<double>(env->spec().state_qvel_size, 0.0));
  EXPECT_FALSE(as_locomotion(*env).is_healthy());
  qpos[2] = 0.19;
  env->reset_to(qpos, std::vector<double>(env->spec().state_qvel_size, 0.0));
  EXPECT_TRUE(as_locomotion(*env).is_healthy());
}

}  // namespace
}  // namespace credo::envs
