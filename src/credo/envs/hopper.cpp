// Hopper-v4 and Hopper-v5 (gymnasium/envs/mujoco/hopper_v{4,5}.py, assets/hopper.xml).
//
// A one-legged robot hopping forward. Observation: qpos[1:] (height, torso angle, 3 joint angles) then the 6
// qvel clipped to [-10, 10]: 11 values. Action: 3 torques in [-1, 1]. Reward: healthy_reward + forward
// velocity - 1e-3 * |a|^2. Healthy: qpos[2:] and raw qvel inside (-100, 100), height > 0.7, |torso angle| <
// 0.2 (strict). Ends (terminated) when unhealthy; truncated at 1000 steps.
//
// | option                                    | default      |
// |-------------------------------------------|--------------|
// | xml_file, frame_skip (v5 only)            | hopper.xml, 4 |
// | forward_reward_weight                     | 1            |
// | ctrl_cost_weight                          | 1e-3         |
// | healthy_reward                            | 1            |
// | terminate_when_unhealthy                  | true         |
// | healthy_state_range                       | (-100, 100)  |
// | healthy_z_range                           | (0.7, inf)   |
// | healthy_angle_range                       | (-0.2, 0.2)  |
// | reset_noise_scale                         | 5e-3         |
// | exclude_current_positions_from_observation| true         |
#include <limits>

#include "credo/envs/locomotion_env.h"
#include "credo/envs/registry.h"

namespace credo::envs {

EnvEntry hopper_entry(GymVersion version) {
  LocomotionConfig defaults;
  defaults.version = version;
  defaults.xml_file = "hopper.xml";  // both versions
  defaults.frame_skip = 4;
  defaults.ctrl_cost_weight = 1e-3;
  defaults.healthy_state_range = Range{-100.0, 100.0};
  defaults.healthy_z_range = {0.7, std::numeric_limits<double>::infinity()};
  defaults.healthy_angle_range = {-0.2, 0.2};
  defaults.reset_noise_scale = 5e-3;
  const std::string id = version == GymVersion::v4 ? "Hopper-v4" : "Hopper-v5";
  return {id, "one-legged hopper, 11 obs, 3 actions", locomotion_options(defaults),
          [id, defaults](const Options& options) -> std::unique_ptr<Env> {
            return std::make_unique<LocomotionEnv>(id, apply_options(defaults, options), 1000, 3800.0);
          }};
}

}  // namespace credo::envs
