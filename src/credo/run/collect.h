#pragma once
// Rolling a trained policy out into demonstrations (`credo collect`).
#include <cstdint>
#include <functional>

#include "credo/demos/demonstrations.h"
#include "credo/envs/env.h"
#include "credo/rl/policy_file.h"

namespace credo::run {

struct CollectOptions {
  std::int64_t transitions = 0;  // stop after this many transitions (the last episode is cut: timeout), or
  std::int64_t episodes = 0;     // after this many whole episodes; exactly one of the two is positive
  std::uint64_t seed = 0;  // episode k starts from reset(seed + k); the action noise is seeded with it too
  double noise = 0.0;      // std of Gaussian noise added to the normalised action in [-1, 1], then clipped
};

// Collects with the policy's deterministic action (plus noise). The expert return recorded is the mean and
// std over the episodes that ended by themselves (terminal or time limit), not the one cut at the end.
// `on_progress(transitions)` is called now and then.
demos::Demonstrations collect(rl::Policy& policy, envs::Env& env, const CollectOptions& options,
                       const std::function<void(std::int64_t)>& on_progress = {});

}  // namespace credo::run
