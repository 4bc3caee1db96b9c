#include "credo/envs/vector_env.h"

#include <algorithm>
#include <stdexcept>

#include "credo/envs/registry.h"

namespace credo::envs {

VectorEnv::VectorEnv(const std::string& id, int num_envs, int num_threads, const nlohmann::json& options)
    : pool_(std::max(1, std::min(num_threads, num_envs))) {
  if (num_envs < 1) throw std::invalid_argument("VectorEnv needs at least one env");
  for (int i = 0; i < num_envs; ++i) envs_.push_back(make_env(id, options));
  obs_size_ = spec().observation_space.size();
  action_size_ = spec().action_space.size();
  const auto n = static_cast<std::size_t>(num_envs);
  observations_.assign(n * obs_size_, 0.0);
  rewards_.assign(n, 0.0);
  terminated_.assign(n, 0);
  truncated_.assign(n, 0);
  final_observations_.assign(n, std::vector<double>(obs_size_, 0.0));
  final_infos_.assign(n, {});
  next_initial_states_.assign(n, std::nullopt);
}

std::span<const double> VectorEnv::reset(std::uint64_t seed) {
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    copy_observation(i, envs_[i]->reset(seed + i));
    terminated_[i] = truncated_[i] = 0;
    rewards_[i] = 0.0;
  }
  return observations_;
}

void VectorEnv::reset_to(int i, std::span<const double> qpos, std::span<const double> qvel) {
  const auto k = static_cast<std::size_t>(i);
  copy_observation(k, envs_.at(k)->reset_to(qpos, qvel));
  terminated_[k] = truncated_[k] = 0;
  rewards_[k] = 0.0;
}

void VectorEnv::set_next_initial_state(int i, std::span<const double> qpos, std::span<const double> qvel) {
  envs_.front()->check_state(qpos, qvel);
  next_initial_states_.at(static_cast<std::size_t>(i)) =
      State{{qpos.begin(), qpos.end()}, {qvel.begin(), qvel.end()}};
}

void VectorEnv::step(std::span<const double> actions) {
  step_all(actions);
}

void VectorEnv::step(std::span<const float> actions) {
  step_all(actions);
}

template <typename Action>
void VectorEnv::step_all(std::span<const Action> actions) {
  if (actions.size() != envs_.size() * action_size_) {
    throw std::invalid_argument(spec().id + " vector of " + std::to_string(envs_.size()) + " expects " +
                                std::to_string(envs_.size() * action_size_) + " action values, got " +
                                std::to_string(actions.size()));
  }
  pool_.parallel_for(envs_.size(),
                     [&](std::size_t begin, std::size_t end) { step_range(actions, begin, end); });
}

template <typename Action>
void VectorEnv::step_range(std::span<const Action> actions, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    Env& env = *envs_[i];
    const StepResult r = env.step(actions.subspan(i * action_size_, action_size_));
    rewards_[i] = r.reward;
    terminated_[i] = r.terminated;
    truncated_[i] = r.truncated;
    auto obs = env.observation();
    if (r.terminated || r.truncated) {
      std::copy(obs.begin(), obs.end(), final_observations_[i].begin());
      final_infos_[i].assign(env.info().begin(), env.info().end());
      if (auto& next = next_initial_states_[i]) {
        obs = env.reset_to(next->qpos, next->qvel);
        next.reset();
      } else {
        obs = env.reset();
      }
    }
    copy_observation(i, obs);
  }
}

void VectorEnv::copy_observation(std::size_t i, std::span<const double> obs) {
  std::copy(obs.begin(), obs.end(), observations_.begin() + static_cast<std::ptrdiff_t>(i * obs_size_));
}

std::span<const double> VectorEnv::final_observation(int i) const {
  if (!done(i))
    throw std::logic_error("final_observation: env " + std::to_string(i) + " did not just finish");
  return final_observations_[static_cast<std::size_t>(i)];
}

std::span<const double> VectorEnv::final_info(int i) const {
  if (!done(i)) throw std::logic_error("final_info: env " + std::to_string(i) + " did not just finish");
  return final_infos_[static_cast<std::size_t>(i)];
}

}  // namespace credo::envs
