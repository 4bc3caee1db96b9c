#pragma once
// Replaying an action sequence in an environment: the engine of `credo env rollout`.
//
// SPEC (JSON): {"env": ID, "options": {...}, "seed": S, "qpos": [...], "qvel": [...], "actions": [[...],
// ...],
//               "action_dtype": "float64" | "float32"}
//   options       optional constructor options (Gymnasium's keyword arguments)
//   qpos, qvel    optional, together: the initial state (Pendulum-v1: [theta] and [theta_dot]); without them
//   the
//                 env is reset with "seed", which is then required
//   action_dtype  optional, default float64: float32 computes reward terms as Gymnasium does for float32
//   actions
// TRAJ (JSON): {"env", "obs0", "reset_info": {...}, "steps": [{"obs", "reward", "terminated", "truncated",
//               "info": {...}}, ...], "unused_actions": K}
// The replay stops at the end of the episode (terminated or truncated); actions left over are counted in
// "unused_actions".
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "credo/envs/env.h"

namespace credo::envs {

struct RolloutSpec {
  std::string env;
  nlohmann::json options = nlohmann::json::object();
  std::optional<std::uint64_t> seed;
  std::optional<std::vector<double>> qpos;
  std::optional<std::vector<double>> qvel;
  std::vector<std::vector<double>> actions;
  Precision action_dtype = Precision::f64;
};

// Checks the SPEC's structure, the env id, its options, the state sizes and every action (length,
// finiteness). Throws credo::UsageError naming `source` and the offending field.
RolloutSpec parse_rollout_spec(const nlohmann::json& spec, const std::string& source);

// Info objects keep Gymnasium's key order.
nlohmann::ordered_json run_rollout(const RolloutSpec& spec);

}  // namespace credo::envs
