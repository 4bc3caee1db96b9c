#include "credo/envs/mujoco_env.h"

#include <algorithm>

namespace credo::envs {

MujocoEnv::MujocoEnv(EnvSpec spec, ModelPtr&& model, int frame_skip)
    : Env(std::move(spec)),
      model_(std::move(model)),
      data_(mj_makeData(model_.get())),
      frame_skip_(frame_skip) {
  init_qpos_.assign(data_->qpos, data_->qpos + model_->nq);
}

std::vector<double> MujocoEnv::qpos() const {
  return {data_->qpos, data_->qpos + model_->nq};
}
std::vector<double> MujocoEnv::qvel() const {
  return {data_->qvel, data_->qvel + model_->nv};
}

void MujocoEnv::do_simulation(std::span<const double> action) {
  std::copy(action.begin(), action.end(), data_->ctrl);
  for (int i = 0; i < frame_skip_; ++i) mj_step(model_.get(), data_.get());
  mj_rnePostConstraint(model_.get(), data_.get());
}

void MujocoEnv::reset_data() {
  mj_resetData(model_.get(), data_.get());
}

void MujocoEnv::set_state(std::span<const double> qpos, std::span<const double> qvel) {
  std::copy(qpos.begin(), qpos.end(), data_->qpos);
  std::copy(qvel.begin(), qvel.end(), data_->qvel);
  mj_forward(model_.get(), data_.get());
}

std::vector<double> MujocoEnv::physics_state() const {
  std::vector<double> state(static_cast<std::size_t>(mj_stateSize(model_.get(), mjSTATE_INTEGRATION)));
  mj_getState(model_.get(), data_.get(), state.data(), mjSTATE_INTEGRATION);
  return state;
}

void MujocoEnv::set_physics_state(std::span<const double> state) {
  mj_setState(model_.get(), data_.get(), state.data(), mjSTATE_INTEGRATION);
}

}  // namespace credo::envs
