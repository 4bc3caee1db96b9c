// HalfCheetah-v4 and HalfCheetah-v5 (gymnasium/envs/mujoco/half_cheetah_v{4,5}.py, assets/half_cheetah.xml).
//
// A planar cheetah running forward. Observation: qpos[1:] (8 values) then the 9 qvel, not clipped: 17 values.
// Action: 6 torques in [-1, 1]. Reward: forward velocity - 0.1 * |a|^2. Never terminates; truncated at 1000
// steps. Reset noise: qpos U(-0.1, 0.1), qvel 0.1 * N(0, 1). v4's info calls the forward term "reward_run".
//
// | option                                    | default               |
// |-------------------------------------------|-----------------------|
// | xml_file, frame_skip (v5 only)            | half_cheetah.xml, 5   |
// | forward_reward_weight                     | 1                     |
// | ctrl_cost_weight                          | 0.1                   |
// | reset_noise_scale                         | 0.1                   |
// | exclude_current_positions_from_observation| true                  |
#include "credo/envs/locomotion_env.h"
#include "credo/envs/registry.h"

namespace credo::envs {

EnvEntry half_cheetah_entry(GymVersion version) {
  LocomotionConfig defaults;
  defaults.version = version;
  defaults.xml_file = "half_cheetah.xml";
  defaults.frame_skip = 5;
  defaults.ctrl_cost_weight = 0.1;
  defaults.has_health = false;
  defaults.reset_noise_scale = 0.1;
  defaults.gaussian_qvel_noise = true;
  defaults.clip_observed_velocity = false;
  defaults.forward_info_key = version == GymVersion::v4 ? "reward_run" : "reward_forward";
  const std::string id = version == GymVersion::v4 ? "HalfCheetah-v4" : "HalfCheetah-v5";
  return {id, "planar cheetah, 17 obs, 6 actions, never terminates", locomotion_options(defaults),
          [id, defaults](const Options& options) -> std::unique_ptr<Env> {
            return std::make_unique<LocomotionEnv>(id, apply_options(defaults, options), 1000, 4800.0);
          }};
}

}  // namespace credo::envs
