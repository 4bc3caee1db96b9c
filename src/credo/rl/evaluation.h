#pragma once
// Evaluation, shared by training and `credo eval`: N episodes of a deterministic policy on its own env, true
// reward. Episode k of an evaluation starts from reset(seed + k), so every evaluation of a run sees the same
// initial states and curves compare policies, not luck.
#include <functional>
#include <span>
#include <vector>

#include "credo/envs/env.h"

namespace credo::rl {

// Fills the env action (float32, within the env's bounds) for an observation.
using ActFn = std::function<void(std::span<const double> obs, std::span<float> env_action)>;

struct EvalResult {
  std::vector<double> returns;
  std::vector<int> lengths;
  double mean() const;
  double std() const;  // population standard deviation, as numpy's np.std
};

EvalResult evaluate(envs::Env& env, const ActFn& act, int episodes, std::uint64_t seed);

}  // namespace credo::rl
