#pragma once
// Gymnasium's planar locomotion tasks (Hopper, Walker2d, HalfCheetah; v4 and v5) as one configurable env: the
// three share their step (x velocity from rootx before and after the frame-skipped physics, forward reward
// minus control cost, an optional healthy term and termination) and differ only in the values hopper.cpp,
// walker2d.cpp and half_cheetah.cpp set. Sources:
// gymnasium/envs/mujoco/{hopper,walker2d,half_cheetah}_v{4,5}.py.
#include <optional>
#include <string>
#include <vector>

#include "credo/envs/mujoco_env.h"
#include "credo/envs/options.h"

namespace credo::envs {

enum class GymVersion { v4, v5 };

struct LocomotionConfig {
  GymVersion version = GymVersion::v5;
  std::string xml_file;
  int frame_skip = 4;
  double forward_reward_weight = 1.0;
  double ctrl_cost_weight = 1e-3;
  // Hopper and Walker2d: a healthy reward and termination when unhealthy. HalfCheetah: neither.
  bool has_health = true;
  double healthy_reward = 1.0;
  bool terminate_when_unhealthy = true;
  std::optional<Range> healthy_state_range;  // Hopper only: qpos[2:] and the raw (unclipped) qvel
  Range healthy_z_range{0.0, 0.0};           // on qpos[1]
  Range healthy_angle_range{0.0, 0.0};       // on qpos[2]
  double reset_noise_scale = 5e-3;
  // Hopper, Walker2d: qpos and qvel noise both U(-s, s). HalfCheetah: qpos U(-s, s), qvel s * N(0, 1).
  bool gaussian_qvel_noise = false;
  bool exclude_current_positions_from_observation = true;
  bool clip_observed_velocity = true;  // Hopper, Walker2d: qvel clipped to [-10, 10] in the observation only
  std::string forward_info_key = "reward_forward";  // HalfCheetah-v4 calls it "reward_run"
};

class LocomotionEnv : public MujocoEnv {
 public:
  LocomotionEnv(std::string id, LocomotionConfig config, int max_episode_steps,
                std::optional<double> reward_threshold);

  const LocomotionConfig& config() const { return config_; }
  bool is_healthy() const;
  ResetNoise reset_noise() const override;

 protected:
  void set_initial_state(std::span<const double> qpos, std::span<const double> qvel) override;
  StepResult step_model(std::span<const double> action, Precision precision) override;

 private:
  enum class Field {
    x_position,
    z_distance_from_origin,
    x_velocity,
    reward_forward,
    reward_ctrl,
    reward_survive
  };
  LocomotionEnv(std::string id, LocomotionConfig config, ModelPtr model, int max_episode_steps,
                std::optional<double> reward_threshold);
  static std::vector<Field> step_fields(const LocomotionConfig& config);
  static std::vector<Field> reset_fields(const LocomotionConfig& config);
  static std::string field_name(Field field, const LocomotionConfig& config);
  static EnvSpec make_spec(const std::string& id, const LocomotionConfig& config, const mjModel& model,
                           int max_episode_steps, std::optional<double> reward_threshold);
  void write_observation();
  void write_reset_info();

  LocomotionConfig config_;
  std::vector<Field> step_fields_;
  std::vector<Field> reset_fields_;
};

// The options Gymnasium's constructors take, with their defaults from `config` (v5 adds xml_file and
// frame_skip). Hopper adds healthy_state_range; HalfCheetah has no healthy options.
std::vector<OptionSpec> locomotion_options(const LocomotionConfig& defaults);
// `defaults` with the values in `options` applied.
LocomotionConfig apply_options(LocomotionConfig defaults, const Options& options);

}  // namespace credo::envs
