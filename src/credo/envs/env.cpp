#include "credo/envs/env.h"

#include <cmath>
#include <random>
#include <stdexcept>

namespace credo::envs {

Env::Env(EnvSpec spec) : spec_(std::move(spec)) {
  observation_.assign(spec_.observation_space.size(), 0.0);
  action_buffer_.resize(spec_.action_space.size());
}

void Env::set_max_episode_steps(int steps) {
  if (steps < 1) {
    throw std::invalid_argument(spec_.id + ": max_episode_steps must be at least 1, got " +
                                std::to_string(steps));
  }
  spec_.max_episode_steps = steps;
}

std::span<const double> Env::reset(std::optional<std::uint64_t> seed) {
  if (seed) {
    rng_.seed(*seed);
    seeded_ = true;
  } else if (!seeded_) {
    std::random_device device;
    rng_.seed((static_cast<std::uint64_t>(device()) << 32) | device());
    seeded_ = true;
  }
  const ResetNoise noise = reset_noise();
  std::vector<double> qpos(noise.qpos_center);
  std::vector<double> qvel(noise.qvel_center);
  for (double& q : qpos) q += rng_.uniform(-noise.qpos_scale, noise.qpos_scale);
  for (double& v : qvel) {
    v += noise.gaussian_qvel ? noise.qvel_scale * rng_.normal()
                             : rng_.uniform(-noise.qvel_scale, noise.qvel_scale);
  }
  set_initial_state(qpos, qvel);
  started_ = true;
  elapsed_steps_ = 0;
  return observation_;
}

void Env::check_state(std::span<const double> qpos, std::span<const double> qvel) const {
  if (qpos.size() != spec_.state_qpos_size || qvel.size() != spec_.state_qvel_size) {
    throw std::invalid_argument(spec_.id + " state needs qpos of " + std::to_string(spec_.state_qpos_size) +
                                " values and qvel of " + std::to_string(spec_.state_qvel_size) + ", got " +
                                std::to_string(qpos.size()) + " and " + std::to_string(qvel.size()));
  }
  for (double v : qpos) {
    if (!std::isfinite(v)) throw std::invalid_argument(spec_.id + " state: qpos has a non-finite value");
  }
  for (double v : qvel) {
    if (!std::isfinite(v)) throw std::invalid_argument(spec_.id + " state: qvel has a non-finite value");
  }
}

std::span<const double> Env::reset_to(std::span<const double> qpos, std::span<const double> qvel) {
  check_state(qpos, qvel);
  set_initial_state(qpos, qvel);
  started_ = true;
  elapsed_steps_ = 0;
  return observation_;
}

EnvSnapshot Env::snapshot() const {
  if (!started_) throw std::logic_error(spec_.id + ": snapshot() called before reset()");
  return {physics_state(), observation_, info_, elapsed_steps_, rng_.state()};
}

void Env::restore(const EnvSnapshot& s) {
  const auto physics_size = physics_state().size();
  const bool info_fits =
      s.info.size() == spec_.info_keys.size() || s.info.size() == spec_.reset_info_keys.size();
  if (s.physics.size() != physics_size || s.observation.size() != spec_.observation_space.size() ||
      !info_fits || s.elapsed_steps < 0 || s.elapsed_steps > spec_.max_episode_steps) {
    throw std::invalid_argument(
        spec_.id + ": the episode snapshot is another env's (state of " + std::to_string(s.physics.size()) +
        " values, observation of " + std::to_string(s.observation.size()) + ", step " +
        std::to_string(s.elapsed_steps) + "; this env has " + std::to_string(physics_size) + " and " +
        std::to_string(spec_.observation_space.size()) + ")");
  }
  for (double v : s.physics) {
    if (!std::isfinite(v))
      throw std::invalid_argument(spec_.id + ": the episode snapshot has a non-finite state");
  }
  Rng rng;
  rng.set_state(s.rng);  // throws std::invalid_argument when corrupt, before anything changes
  set_physics_state(s.physics);
  observation_ = s.observation;
  info_ = s.info;
  elapsed_steps_ = static_cast<int>(s.elapsed_steps);
  rng_ = rng;
  seeded_ = started_ = true;
}

StepResult Env::step(std::span<const double> action) {
  return checked_step(action, Precision::f64);
}

StepResult Env::step(std::span<const float> action) {
  check_action_size(action.size());
  for (std::size_t i = 0; i < action.size(); ++i) action_buffer_[i] = action[i];
  return checked_step(action_buffer_, Precision::f32);
}

void Env::check_action_size(std::size_t size) const {
  if (size != spec_.action_space.size()) {
    throw std::invalid_argument(spec_.id + " expects an action of " +
                                std::to_string(spec_.action_space.size()) + " values, got " +
                                std::to_string(size));
  }
}

StepResult Env::checked_step(std::span<const double> action, Precision precision) {
  if (!started_) throw std::logic_error(spec_.id + ": step() called before reset()");
  check_action_size(action.size());
  for (std::size_t i = 0; i < action.size(); ++i) {
    if (!std::isfinite(action[i])) {
      throw std::invalid_argument(spec_.id + " action value " + std::to_string(i) + " is not finite");
    }
  }
  StepResult result = step_model(action, precision);
  ++elapsed_steps_;
  result.truncated = elapsed_steps_ >= spec_.max_episode_steps;
  return result;
}

double control_cost(std::span<const double> action, double weight, Precision precision) {
  if (precision == Precision::f32) {
    float sum = 0.0f;
    for (double a : action) {
      const auto f = static_cast<float>(a);
      sum += f * f;
    }
    return static_cast<double>(static_cast<float>(weight) * sum);
  }
  double sum = 0.0;
  for (double a : action) sum += a * a;
  return weight * sum;
}

}  // namespace credo::envs
