#pragma once
// What the learner tests share: a small configuration of each learner, synthetic transitions to drive a
// learner through, its deterministic actions on fixed observations, the machine's GPU, and action
// comparisons.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "credo/config/defaults.h"
#include "credo/core/error.h"
#include "credo/nn/device.h"
#include "credo/rl/learner.h"

namespace credo::rl::testing_support {

constexpr std::int64_t kObs = 5, kAct = 2;

inline config::Config small_config(const std::string& algo) {
  auto c = config::default_config(algo, "Hopper-v5");
  c.override_from_text("hidden", "16,16", "test");
  if (algo == "ppo") {
    c.override_from_text("n_steps", "32", "test");
    c.override_from_text("minibatch_size", "8", "test");
  } else {
    c.override_from_text("batch_size", "8", "test");
    c.override_from_text("start_steps", "20", "test");
    c.override_from_text("buffer_size", "500", "test");
  }
  if (algo == "sd3") c.override_from_text("noise_samples", "4", "test");
  return c;
}

inline std::vector<double> obs_at(int t) {
  std::vector<double> obs(kObs);
  for (int j = 0; j < kObs; ++j) obs[static_cast<std::size_t>(j)] = std::sin(0.37 * t + j);
  return obs;
}

// Drives a learner through `steps` synthetic transitions starting at time t0, returns the actions it took.
inline std::vector<float> drive(Learner& learner, int t0, int steps) {
  std::vector<float> taken, action(kAct);
  for (int t = t0; t < t0 + steps; ++t) {
    const auto obs = obs_at(t), next = obs_at(t + 1);
    learner.act(obs, true, action);
    taken.insert(taken.end(), action.begin(), action.end());
    learner.observe(
        {obs, action, std::cos(0.1 * t) - action[0] * action[0], next, t % 37 == 36, t % 50 == 49});
  }
  return taken;
}

inline std::vector<float> deterministic_actions(Learner& learner) {
  std::vector<float> out, action(kAct);
  for (int t = 0; t < 20; ++t) {
    learner.act(obs_at(1000 + t), false, action);
    out.insert(out.end(), action.begin(), action.end());
  }
  return out;
}

// The machine's first GPU, or nullopt with the one-line reason in `why` (the GPU tests then skip, saying
// why).
inline std::optional<torch::Device> first_gpu(std::string& why) {
  try {
    return nn::select_device("cuda");
  } catch (const UsageError& e) {
    why = e.what();
    return std::nullopt;
  }
}

inline void expect_near(const std::vector<float>& a, const std::vector<float>& b, double tolerance) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], tolerance) << "at " << i;
}

}  // namespace credo::rl::testing_support
