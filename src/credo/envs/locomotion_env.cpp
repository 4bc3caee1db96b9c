#include "credo/envs/locomotion_env.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "credo/core/error.h"

namespace credo::envs {

// Info layout (Gymnasium's dict keys, in its order) per version and task family.
std::vector<LocomotionEnv::Field> LocomotionEnv::step_fields(const LocomotionConfig& c) {
  using F = Field;
  if (!c.has_health) return {F::x_position, F::x_velocity, F::reward_forward, F::reward_ctrl};
  if (c.version == GymVersion::v4) return {F::x_position, F::x_velocity};
  return {F::x_position,  F::z_distance_from_origin, F::x_velocity, F::reward_forward,
          F::reward_ctrl, F::reward_survive};
}

std::vector<LocomotionEnv::Field> LocomotionEnv::reset_fields(const LocomotionConfig& c) {
  if (c.version == GymVersion::v4) return {};
  if (!c.has_health) return {Field::x_position};
  return {Field::x_position, Field::z_distance_from_origin};
}

std::string LocomotionEnv::field_name(Field f, const LocomotionConfig& c) {
  switch (f) {
    case Field::x_position:
      return "x_position";
    case Field::z_distance_from_origin:
      return "z_distance_from_origin";
    case Field::x_velocity:
      return "x_velocity";
    case Field::reward_forward:
      return c.forward_info_key;
    case Field::reward_ctrl:
      return "reward_ctrl";
    case Field::reward_survive:
      return "reward_survive";
  }
  return "?";
}

EnvSpec LocomotionEnv::make_spec(const std::string& id, const LocomotionConfig& config, const mjModel& model,
                                 int max_episode_steps, std::optional<double> reward_threshold) {
  EnvSpec spec;
  spec.id = id;
  const auto obs_size = static_cast<std::size_t>(model.nq + model.nv) -
                        (config.exclude_current_positions_from_observation ? 1 : 0);
  const double inf = std::numeric_limits<double>::infinity();
  spec.observation_space = {std::vector<double>(obs_size, -inf), std::vector<double>(obs_size, inf)};
  // Gymnasium's action space is actuator_ctrlrange cast to float32.
  for (int i = 0; i < model.nu; ++i) {
    spec.action_space.low.push_back(static_cast<float>(model.actuator_ctrlrange[2 * i]));
    spec.action_space.high.push_back(static_cast<float>(model.actuator_ctrlrange[2 * i + 1]));
  }
  spec.max_episode_steps = max_episode_steps;
  spec.can_terminate = config.has_health && config.terminate_when_unhealthy;
  spec.reward_threshold = reward_threshold;
  spec.state_qpos_size = static_cast<std::size_t>(model.nq);
  spec.state_qvel_size = static_cast<std::size_t>(model.nv);
  for (Field f : step_fields(config)) {
    spec.info_keys.push_back(field_name(f, config));
    if (f == Field::reward_ctrl) spec.action_dtype_info_keys.push_back(field_name(f, config));
  }
  for (Field f : reset_fields(config)) spec.reset_info_keys.push_back(field_name(f, config));
  return spec;
}

LocomotionEnv::LocomotionEnv(std::string id, LocomotionConfig config, int max_episode_steps,
                             std::optional<double> reward_threshold)
    : LocomotionEnv(std::move(id), config, load_model(config.xml_file), max_episode_steps, reward_threshold) {
}

LocomotionEnv::LocomotionEnv(std::string id, LocomotionConfig config, ModelPtr model, int max_episode_steps,
                             std::optional<double> reward_threshold)
    : MujocoEnv(make_spec(id, config, *model, max_episode_steps, reward_threshold), std::move(model),
                config.frame_skip),
      config_(std::move(config)),
      step_fields_(step_fields(config_)),
      reset_fields_(reset_fields(config_)) {
  if (model_->nq < 3)
    throw UsageError(this->spec().id + ": model needs rootx, rootz and rooty joints (nq >= 3)");
}

bool LocomotionEnv::is_healthy() const {
  const double* qpos = data_->qpos;
  if (config_.healthy_state_range) {
    for (int i = 2; i < model_->nq; ++i) {
      if (!config_.healthy_state_range->contains(qpos[i])) return false;
    }
    for (int i = 0; i < model_->nv; ++i) {
      if (!config_.healthy_state_range->contains(data_->qvel[i])) return false;
    }
  }
  return config_.healthy_z_range.contains(qpos[1]) && config_.healthy_angle_range.contains(qpos[2]);
}

void LocomotionEnv::write_observation() {
  const int skip = config_.exclude_current_positions_from_observation ? 1 : 0;
  std::size_t k = 0;
  for (int i = skip; i < model_->nq; ++i) observation_[k++] = data_->qpos[i];
  for (int i = 0; i < model_->nv; ++i) {
    const double v = data_->qvel[i];
    observation_[k++] = config_.clip_observed_velocity ? std::clamp(v, -10.0, 10.0) : v;
  }
}

void LocomotionEnv::write_reset_info() {
  info_.clear();
  for (Field f : reset_fields_) {
    info_.push_back(f == Field::x_position ? data_->qpos[0] : data_->qpos[1] - init_qpos_[1]);
  }
}

ResetNoise LocomotionEnv::reset_noise() const {
  const double s = config_.reset_noise_scale;
  return {init_qpos_, std::vector<double>(static_cast<std::size_t>(model_->nv), 0.0), s, s,
          config_.gaussian_qvel_noise};
}

void LocomotionEnv::set_initial_state(std::span<const double> qpos, std::span<const double> qvel) {
  reset_data();
  set_state(qpos, qvel);
  write_observation();
  write_reset_info();
}

StepResult LocomotionEnv::step_model(std::span<const double> action, Precision precision) {
  const double x_before = data_->qpos[0];
  do_simulation(action);
  const double x_after = data_->qpos[0];
  const double x_velocity = (x_after - x_before) / dt();
  write_observation();

  const double forward_reward = config_.forward_reward_weight * x_velocity;
  const double ctrl_cost = control_cost(action, config_.ctrl_cost_weight, precision);
  StepResult result;
  double survive_reward = 0.0;
  if (config_.has_health) {
    const bool healthy = is_healthy();
    // v4 paid the healthy reward on every step while terminate_when_unhealthy (the terminal step included);
    // v5 pays it only when healthy (Gymnasium issue #526).
    const bool paid =
        config_.version == GymVersion::v4 ? (healthy || config_.terminate_when_unhealthy) : healthy;
    survive_reward = paid ? config_.healthy_reward : 0.0;
    result.reward = (forward_reward + survive_reward) - ctrl_cost;
    result.terminated = config_.terminate_when_unhealthy && !healthy;
  } else {
    result.reward = forward_reward - ctrl_cost;
  }

  info_.clear();
  for (Field f : step_fields_) {
    switch (f) {
      case Field::x_position:
        info_.push_back(x_after);
        break;
      case Field::z_distance_from_origin:
        info_.push_back(data_->qpos[1] - init_qpos_[1]);
        break;
      case Field::x_velocity:
        info_.push_back(x_velocity);
        break;
      case Field::reward_forward:
        info_.push_back(forward_reward);
        break;
      case Field::reward_ctrl:
        info_.push_back(-ctrl_cost);
        break;
      case Field::reward_survive:
        info_.push_back(survive_reward);
        break;
    }
  }
  return result;
}

std::vector<OptionSpec> locomotion_options(const LocomotionConfig& d) {
  const auto range = [](const Range& r) {
    const auto value = [](double v) -> nlohmann::json {
      if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
      return v;
    };
    return nlohmann::json::array({value(r.low), value(r.high)});
  };
  std::vector<OptionSpec> table;
  if (d.version == GymVersion::v5) {
    table.push_back({"xml_file", OptionKind::text, d.xml_file,
                     "MuJoCo model: one of Gymnasium's asset names or a path to an XML file"});
    table.push_back({"frame_skip", OptionKind::integer, d.frame_skip, "physics steps per env step (>= 1)"});
  }
  table.push_back({"forward_reward_weight", OptionKind::number, d.forward_reward_weight,
                   "weight of the forward velocity reward"});
  table.push_back({"ctrl_cost_weight", OptionKind::number, d.ctrl_cost_weight, "weight of sum(action^2)"});
  if (d.has_health) {
    table.push_back({"healthy_reward", OptionKind::number, d.healthy_reward, "reward per healthy step"});
    table.push_back({"terminate_when_unhealthy", OptionKind::boolean, d.terminate_when_unhealthy,
                     "end the episode (terminated) when unhealthy"});
    if (d.healthy_state_range) {
      table.push_back({"healthy_state_range", OptionKind::range, range(*d.healthy_state_range),
                       "open interval for qpos[2:] and qvel"});
    }
    table.push_back(
        {"healthy_z_range", OptionKind::range, range(d.healthy_z_range), "open interval for the height"});
    table.push_back({"healthy_angle_range", OptionKind::range, range(d.healthy_angle_range),
                     "open interval for the torso angle"});
  }
  table.push_back(
      {"reset_noise_scale", OptionKind::number, d.reset_noise_scale, "scale of the initial-state noise"});
  table.push_back({"exclude_current_positions_from_observation", OptionKind::boolean,
                   d.exclude_current_positions_from_observation, "leave rootx out of the observation"});
  return table;
}

LocomotionConfig apply_options(LocomotionConfig c, const Options& o) {
  if (c.version == GymVersion::v5) {
    c.xml_file = o.text("xml_file");
    c.frame_skip = o.integer("frame_skip");
    if (c.frame_skip < 1)
      throw UsageError("option 'frame_skip' must be at least 1, got " + std::to_string(c.frame_skip));
  }
  c.forward_reward_weight = o.number("forward_reward_weight");
  c.ctrl_cost_weight = o.number("ctrl_cost_weight");
  if (c.has_health) {
    c.healthy_reward = o.number("healthy_reward");
    c.terminate_when_unhealthy = o.boolean("terminate_when_unhealthy");
    if (c.healthy_state_range) c.healthy_state_range = o.range("healthy_state_range");
    c.healthy_z_range = o.range("healthy_z_range");
    c.healthy_angle_range = o.range("healthy_angle_range");
  }
  c.reset_noise_scale = o.number("reset_noise_scale");
  c.exclude_current_positions_from_observation = o.boolean("exclude_current_positions_from_observation");
  return c;
}

}  // namespace credo::envs
