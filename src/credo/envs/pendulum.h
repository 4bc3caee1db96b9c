#pragma once
// Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py), in plain C++.
//
// Swing a pendulum up and keep it upright. State (theta, theta_dot), theta = 0 upright. Observation
// (float32): [cos theta, sin theta, theta_dot]. Action: one torque, clipped to [-2, 2] inside step. Reward:
// -(normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2) on the state before the step. Dynamics: semi-implicit
// Euler with dt 0.05, theta_dot clipped to [-8, 8]. Reset: theta ~ U(-pi, pi), theta_dot ~ U(-1, 1). Never
// terminates; truncated at 200 steps.
//
// | option | default | meaning             |
// |--------|---------|---------------------|
// | g      | 10.0    | gravity (m s^-2)    |
#include <numbers>

#include "credo/envs/env.h"

namespace credo::envs {

class PendulumEnv : public Env {
 public:
  explicit PendulumEnv(double g = 10.0);

  std::vector<double> qpos() const override { return {theta_}; }
  std::vector<double> qvel() const override { return {theta_dot_}; }
  // theta ~ U(-pi, pi), theta_dot ~ U(-1, 1).
  ResetNoise reset_noise() const override { return {{0.0}, {0.0}, std::numbers::pi, 1.0, false}; }

 protected:
  void set_initial_state(std::span<const double> qpos, std::span<const double> qvel) override;
  StepResult step_model(std::span<const double> action, Precision precision) override;
  std::vector<double> physics_state() const override { return {theta_, theta_dot_}; }
  void set_physics_state(std::span<const double> state) override {
    theta_ = state[0];
    theta_dot_ = state[1];
  }

 private:
  void write_observation();

  double g_;
  double theta_ = 0.0;
  double theta_dot_ = 0.0;
};

}  // namespace credo::envs
