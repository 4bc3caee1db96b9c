#pragma once
// The shared base of credo's MuJoCo tasks, mirroring gymnasium/envs/mujoco/mujoco_env.py: it owns the model
// and data, steps the physics `frame_skip` times per action, and sets states as Gymnasium's set_state does.
#include <span>
#include <string>
#include <vector>

#include "credo/envs/env.h"
#include "credo/envs/mujoco_model.h"

namespace credo::envs {

class MujocoEnv : public Env {
 public:
  // `model` is taken by rvalue reference so a caller may build `spec` from it in the same call.
  MujocoEnv(EnvSpec spec, ModelPtr&& model, int frame_skip);

  std::vector<double> qpos() const override;
  std::vector<double> qvel() const override;

  const mjModel& model() const { return *model_; }
  int frame_skip() const { return frame_skip_; }
  // Seconds of simulated time per step: model timestep times frame_skip (Gymnasium's `dt`).
  double dt() const { return model_->opt.timestep * frame_skip_; }

 protected:
  // Writes the action to ctrl unchanged (MuJoCo clamps it to ctrlrange), then mj_step frame_skip times and
  // mj_rnePostConstraint once, as Gymnasium's do_simulation.
  void do_simulation(std::span<const double> action);
  // mj_resetData (done by Gymnasium's reset before reset_model).
  void reset_data();
  // Writes qpos and qvel, then mj_forward (Gymnasium's set_state).
  void set_state(std::span<const double> qpos, std::span<const double> qvel);
  // MuJoCo's integration state (mj_getState with mjSTATE_INTEGRATION: time, qpos, qvel, act, warm start,
  // controls, applied forces...), all that mj_step reads. Quantities derived from it are not restored: the
  // tasks read only qpos before stepping.
  std::vector<double> physics_state() const override;
  void set_physics_state(std::span<const double> state) override;

  ModelPtr model_;
  DataPtr data_;
  int frame_skip_;
  std::vector<double> init_qpos_;  // qpos right after load (the model's qpos0); init_qvel is zero
};

}  // namespace credo::envs
