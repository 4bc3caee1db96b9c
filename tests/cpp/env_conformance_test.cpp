// One conformance suite run on every environment id: spaces, seeding, reset, time limit, argument checks.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/envs/registry.h"

namespace credo::envs {
namespace {

std::vector<double> random_action(const EnvSpec& spec, Rng& rng) {
  std::vector<double> a(spec.action_space.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    a[i] = rng.uniform(spec.action_space.low[i], spec.action_space.high[i]);
  return a;
}

struct Trace {
  std::vector<std::vector<double>> observations;
  std::vector<double> rewards;
};

Trace run(Env& env, std::uint64_t seed, int steps, std::uint64_t action_seed) {
  Trace trace;
  Rng rng(action_seed);
  const auto obs0 = env.reset(seed);
  trace.observations.emplace_back(obs0.begin(), obs0.end());
  for (int t = 0; t < steps; ++t) {
    const auto r = env.step(std::span<const double>(random_action(env.spec(), rng)));
    const auto obs = env.observation();
    trace.observations.emplace_back(obs.begin(), obs.end());
    trace.rewards.push_back(r.reward);
    if (r.terminated || r.truncated) break;
  }
  return trace;
}

class EnvConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(EnvConformance, SpacesAreConsistent) {
  auto env = make_env(GetParam());
  const EnvSpec& spec = env->spec();
  EXPECT_EQ(spec.id, GetParam());
  ASSERT_GT(spec.action_space.size(), 0u);
  EXPECT_EQ(spec.action_space.low.size(), spec.action_space.high.size());
  for (std::size_t i = 0; i < spec.action_space.size(); ++i) {
    EXPECT_TRUE(std::isfinite(spec.action_space.low[i]));
    EXPECT_LT(spec.action_space.low[i], spec.action_space.high[i]);
  }
  const auto obs = env->reset(0);
  EXPECT_EQ(obs.size(), spec.observation_space.size());
  EXPECT_EQ(env->info().size(), spec.reset_info_keys.size());
  std::vector<double> zero(spec.action_space.size(), 0.0);
  env->step(std::span<const double>(zero));
  EXPECT_EQ(env->info().size(), spec.info_keys.size());
  EXPECT_EQ(env->qpos().size(), spec.state_qpos_size);
  EXPECT_EQ(env->qvel().size(), spec.state_qvel_size);
  EXPECT_GT(spec.max_episode_steps, 0);
}

TEST_P(EnvConformance, SameSeedSameEpisode) {
  auto a = make_env(GetParam());
  auto b = make_env(GetParam());
  const Trace ta = run(*a, 42, 300, 7);
  const Trace tb = run(*b, 42, 300, 7);
  EXPECT_EQ(ta.observations, tb.observations);
  EXPECT_EQ(ta.rewards, tb.rewards);
}

TEST_P(EnvConformance, DifferentSeedsDiffer) {
  auto env = make_env(GetParam());
  const auto o1 = env->reset(1);
  const std::vector<double> first(o1.begin(), o1.end());
  const auto o2 = env->reset(2);
  EXPECT_NE(first, std::vector<double>(o2.begin(), o2.end()));
}

TEST_P(EnvConformance, ResetClearsState) {
  auto used = make_env(GetParam());
  auto fresh = make_env(GetParam());
  run(*used, 3, 100, 11);  // leave it mid-episode or after an end
  EXPECT_EQ(run(*used, 5, 50, 13).observations, run(*fresh, 5, 50, 13).observations);
  used->reset(5);
  EXPECT_EQ(used->elapsed_steps(), 0);
}

TEST_P(EnvConformance, ResetToReproducesTheSeededStart) {
  auto a = make_env(GetParam());
  auto b = make_env(GetParam());
  const Trace ta = run(*a, 9, 0, 0);
  const auto qpos = a->qpos();
  const auto qvel = a->qvel();
  const auto obs = b->reset_to(qpos, qvel);
  EXPECT_EQ(std::vector<double>(obs.begin(), obs.end()), ta.observations.front());
  EXPECT_THROW(b->reset_to(std::vector<double>(qpos.size() + 1, 0.0), qvel), std::invalid_argument);
}

// Steps `steps` random actions from action stream `rng`, resetting (unseeded) when an episode ends; records
// observations, rewards, flags and infos.
std::vector<double> continue_for(Env& env, Rng& rng, int steps) {
  std::vector<double> out;
  for (int t = 0; t < steps; ++t) {
    const auto r = env.step(std::span<const double>(random_action(env.spec(), rng)));
    out.insert(out.end(), env.observation().begin(), env.observation().end());
    out.insert(out.end(), env.info().begin(), env.info().end());
    out.insert(out.end(), {r.reward, double(r.terminated), double(r.truncated)});
    if (r.terminated || r.truncated) {
      const auto obs = env.reset();
      out.insert(out.end(), obs.begin(), obs.end());
    }
  }
  return out;
}

TEST_P(EnvConformance, ASnapshotContinuesTheEpisodeBitForBit) {
  auto a = make_env(GetParam());
  auto b = make_env(GetParam());
  EXPECT_THROW(a->snapshot(), std::logic_error);
  a->reset(4);
  Rng actions(8);
  continue_for(*a, actions, 137);  // mid-episode, with a reset or more behind it on the short ones
  const EnvSnapshot snapshot = a->snapshot();
  b->reset(99);  // another state, another generator
  continue_for(*b, actions, 3);
  b->restore(snapshot);
  EXPECT_EQ(b->elapsed_steps(), a->elapsed_steps());
  EXPECT_EQ(std::vector<double>(b->observation().begin(), b->observation().end()),
            std::vector<double>(a->observation().begin(), a->observation().end()));
  Rng actions_a(5), actions_b(5);
  // Past the time limit: episode ends and the generator's next resets are covered too.
  const int steps = a->spec().max_episode_steps + 50;
  EXPECT_EQ(continue_for(*b, actions_b, steps), continue_for(*a, actions_a, steps));

  auto wrong = snapshot;
  wrong.physics.push_back(0.0);
  EXPECT_THROW(b->restore(wrong), std::invalid_argument);
  wrong = snapshot;
  wrong.physics[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(b->restore(wrong), std::invalid_argument);
  wrong = snapshot;
  wrong.rng = "not a generator";
  EXPECT_THROW(b->restore(wrong), std::invalid_argument);
  for (const auto& other : env_ids()) {
    auto c = make_env(other);
    if (c->spec().observation_space.size() == b->spec().observation_space.size()) continue;  // v4 / v5
    c->reset(1);
    EXPECT_THROW(b->restore(c->snapshot()), std::invalid_argument) << other;
  }
}

TEST_P(EnvConformance, ObservationsStayFiniteOverRandomEpisodes) {
  auto env = make_env(GetParam());
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    for (const auto& obs : run(*env, seed, 1000, seed + 100).observations) {
      for (double v : obs) ASSERT_TRUE(std::isfinite(v));
    }
  }
}

TEST_P(EnvConformance, TruncatesExactlyAtTheTimeLimit) {
  // Without termination (a healthy check that cannot fail), the episode ends truncated at max_episode_steps.
  nlohmann::json options = nlohmann::json::object();
  if (GetParam().rfind("Hopper", 0) == 0 || GetParam().rfind("Walker2d", 0) == 0) {
    options["terminate_when_unhealthy"] = false;
  }
  auto env = make_env(GetParam(), options);
  env->reset(0);
  const int limit = env->spec().max_episode_steps;
  std::vector<double> zero(env->spec().action_space.size(), 0.0);
  for (int t = 1; t <= limit; ++t) {
    const auto r = env->step(std::span<const double>(zero));
    ASSERT_FALSE(r.terminated) << "step " << t;
    ASSERT_EQ(r.truncated, t == limit) << "step " << t;
  }
  EXPECT_EQ(env->elapsed_steps(), limit);
  // An episode snapshot taken at the time limit, before the reset, restores too.
  auto other = make_env(GetParam(), options);
  other->reset(1);
  EXPECT_NO_THROW(other->restore(env->snapshot()));
  EXPECT_EQ(other->elapsed_steps(), limit);
}

TEST_P(EnvConformance, RejectsBadActionsAndStepBeforeReset) {
  auto env = make_env(GetParam());
  const std::size_t n = env->spec().action_space.size();
  std::vector<double> ok(n, 0.0);
  EXPECT_THROW(env->step(std::span<const double>(ok)), std::logic_error);
  env->reset(0);
  std::vector<double> too_long(n + 1, 0.0);
  EXPECT_THROW(env->step(std::span<const double>(too_long)), std::invalid_argument);
  std::vector<double> nan(n, 0.0);
  nan[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(env->step(std::span<const double>(nan)), std::invalid_argument);
  std::vector<double> inf(n, 0.0);
  inf[n - 1] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(env->step(std::span<const double>(inf)), std::invalid_argument);
  std::vector<float> wrong32(n + 2, 0.0f);
  EXPECT_THROW(env->step(std::span<const float>(wrong32)), std::invalid_argument);
}

TEST_P(EnvConformance, RejectsUnknownOptions) {
  try {
    make_env(GetParam(), {{"no_such_option", 1.0}});
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_option"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(GetParam()), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(AllEnvs, EnvConformance, ::testing::ValuesIn(env_ids()), [](const auto& param_info) {
  std::string name = param_info.param;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
});

TEST(Registry, UnknownIdListsTheValidOnes) {
  try {
    make_env("Hopper-v9");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("Hopper-v9"), std::string::npos);
    for (const auto& id : env_ids()) EXPECT_NE(msg.find(id), std::string::npos) << id;
  }
}

TEST(Registry, HasTheSevenGymnasiumIds) {
  EXPECT_EQ(env_ids(), (std::vector<std::string>{"Pendulum-v1", "Hopper-v4", "Hopper-v5", "Walker2d-v4",
                                                 "Walker2d-v5", "HalfCheetah-v4", "HalfCheetah-v5"}));
}

}  // namespace
}  // namespace credo::envs
