// Walker2d-v4 and Walker2d-v5 (gymnasium/envs/mujoco/walker2d_v{4,5}.py, assets/walker2d.xml,
// walker2d_v5.xml).
//
// A two-legged planar walker. Observation: qpos[1:] (8 values) then the 9 qvel clipped to [-10, 10]: 17
// values. Action: 6 torques in [-1, 1]. Reward: healthy_reward + forward velocity - 1e-3 * |a|^2. Healthy:
// height in (0.8, 2.0) and torso angle in (-1, 1) (strict; no state-range check). v5 loads walker2d_v5.xml,
// whose right foot has friction 1.9 like the left (walker2d.xml, used by v4, has 0.9).
//
// | option                                    | default                         |
// |-------------------------------------------|---------------------------------|
// | xml_file, frame_skip (v5 only)            | walker2d_v5.xml, 4              |
// | forward_reward_weight                     | 1                               |
// | ctrl_cost_weight                          | 1e-3                            |
// | healthy_reward                            | 1                               |
// | terminate_when_unhealthy                  | true                            |
// | healthy_z_range                           | (0.8, 2.0)                      |
// | healthy_angle_range                       | (-1, 1)                         |
// | reset_noise_scale                         | 5e-3                            |
// | exclude_current_positions_from_observation| true                            |
#include "credo/envs/locomotion_env.h"
#include "credo/envs/registry.h"

namespace credo::envs {

EnvEntry walker2d_entry(GymVersion version) {
  LocomotionConfig defaults;
  defaults.version = version;
  defaults.xml_file = version == GymVersion::v4 ? "walker2d.xml" : "walker2d_v5.xml";
  defaults.frame_skip = 4;
  defaults.ctrl_cost_weight = 1e-3;
  defaults.healthy_z_range = {0.8, 2.0};
  defaults.healthy_angle_range = {-1.0, 1.0};
  defaults.reset_noise_scale = 5e-3;
  const std::string id = version == GymVersion::v4 ? "Walker2d-v4" : "Walker2d-v5";
  return {id, "two-legged planar walker, 17 obs, 6 actions", locomotion_options(defaults),
          [id, defaults](const Options& options) -> std::unique_ptr<Env> {
            return std::make_unique<LocomotionEnv>(id, apply_options(defaults, options), 1000, std::nullopt);
          }};
}

}  // namespace credo::envs
