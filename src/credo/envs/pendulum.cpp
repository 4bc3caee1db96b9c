#include "credo/envs/pendulum.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "credo/envs/registry.h"

namespace credo::envs {

namespace {

constexpr double kMaxSpeed = 8.0;
constexpr double kMaxTorque = 2.0;
constexpr double kDt = 0.05;
constexpr double kMass = 1.0;
constexpr double kLength = 1.0;

// ((x + pi) mod 2 pi) - pi with numpy's floored modulo (the result takes the divisor's sign).
double angle_normalize(double x) {
  const double two_pi = 2.0 * std::numbers::pi;
  double mod = std::fmod(x + std::numbers::pi, two_pi);
  if (mod != 0.0) {
    if (mod < 0.0) mod += two_pi;
  } else {
    mod = 0.0;
  }
  return mod - std::numbers::pi;
}

// numpy's scalar `x ** 2` calls libm's pow, which is not always the correctly rounded x * x (on glibc about 1
// in 1000 results differ by one ulp). The exponent is volatile so the compiler cannot fold pow(x, 2) into x *
// x.
double numpy_square(double x) {
  volatile double two = 2.0;
  return std::pow(x, two);
}
float numpy_square(float x) {
  volatile float two = 2.0f;
  return std::pow(x, two);
}

EnvSpec pendulum_spec() {
  EnvSpec spec;
  spec.id = "Pendulum-v1";
  spec.observation_space = {{-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}};
  spec.action_space = {{-kMaxTorque}, {kMaxTorque}};
  spec.observation_dtype = Precision::f32;
  spec.max_episode_steps = 200;
  spec.state_qpos_size = 1;
  spec.state_qvel_size = 1;
  return spec;
}

}  // namespace

PendulumEnv::PendulumEnv(double g) : Env(pendulum_spec()), g_(g) {}

void PendulumEnv::write_observation() {
  observation_[0] = static_cast<float>(std::cos(theta_));
  observation_[1] = static_cast<float>(std::sin(theta_));
  observation_[2] = static_cast<float>(theta_dot_);
}

void PendulumEnv::set_initial_state(std::span<const double> qpos, std::span<const double> qvel) {
  theta_ = qpos[0];
  theta_dot_ = qvel[0];
  write_observation();
  info_.clear();
}

StepResult PendulumEnv::step_model(std::span<const double> action, Precision precision) {
  const double gravity_term = 3.0 * g_ / (2.0 * kLength) * std::sin(theta_);
  const double angle = angle_normalize(theta_);
  const double state_cost = numpy_square(angle) + 0.1 * numpy_square(theta_dot_);
  double cost = 0.0;
  double torque_term = 0.0;
  // numpy keeps a float32 action's arithmetic in float32 (u**2, 0.001 * u**2 and 3.0 * u), then widens on
  // adding to the float64 state terms.
  if (precision == Precision::f32) {
    const float u = std::clamp(static_cast<float>(action[0]), static_cast<float>(-kMaxTorque),
                               static_cast<float>(kMaxTorque));
    cost = state_cost + static_cast<double>(0.001f * numpy_square(u));
    torque_term = static_cast<double>(static_cast<float>(3.0 / (kMass * kLength * kLength)) * u);
  } else {
    const double u = std::clamp(action[0], -kMaxTorque, kMaxTorque);
    cost = state_cost + 0.001 * numpy_square(u);
    torque_term = 3.0 / (kMass * kLength * kLength) * u;
  }
  const double new_theta_dot =
      std::clamp(theta_dot_ + (gravity_term + torque_term) * kDt, -kMaxSpeed, kMaxSpeed);
  theta_ = theta_ + new_theta_dot * kDt;
  theta_dot_ = new_theta_dot;
  write_observation();
  info_.clear();
  return {-cost, false, false};
}

EnvEntry pendulum_entry() {
  return {"Pendulum-v1",
          "classic inverted pendulum swing-up, 3 obs, 1 action",
          {{"g", OptionKind::number, 10.0, "gravity (m s^-2)"}},
          [](const Options& options) -> std::unique_ptr<Env> {
            return std::make_unique<PendulumEnv>(options.number("g"));
          }};
}

}  // namespace credo::envs
