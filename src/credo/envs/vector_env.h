#pragma once
// N copies of one environment stepped together, optionally on several threads.
//
// Autoreset: "same step". When copy i terminates or truncates during step(), it is reset at once, inside the
// same call: observations() then holds the first observation of its next episode, and the last observation of
// the episode that ended stays available as final_observation(i) (with final_info(i)), valid until the next
// step(). The flags terminated(i) / truncated(i) describe the episode that ended. This is what collectors
// need: the final observation to bootstrap from (on truncation) and the new one to act on, with no wasted
// step.
//
// Seeding: reset(seed) resets copy i with seed + i (Gymnasium's vector convention); later autoresets continue
// each copy's own stream, so a run is reproducible for any number of threads. A caller that draws initial states
// itself (credo's Python package draws them with numpy, as Gymnasium's vector env does) resets with reset_to and
// hands each copy its next episode's start with set_next_initial_state before that episode is due.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "credo/core/thread_pool.h"
#include "credo/envs/env.h"

namespace credo::envs {

class VectorEnv {
 public:
  VectorEnv(const std::string& id, int num_envs, int num_threads = 1,
            const nlohmann::json& options = nlohmann::json::object());

  int size() const { return static_cast<int>(envs_.size()); }
  const EnvSpec& spec() const { return envs_.front()->spec(); }
  Env& env(int i) { return *envs_[static_cast<std::size_t>(i)]; }

  // Resets every copy (copy i with seed + i). Returns observations(), size() x obs_size, row-major.
  std::span<const double> reset(std::uint64_t seed);
  // Resets copy i to this exact state (Env::reset_to); its row of observations() follows.
  void reset_to(int i, std::span<const double> qpos, std::span<const double> qvel);
  // Copy i's next autoreset starts from this state instead of a drawn one (used once).
  void set_next_initial_state(int i, std::span<const double> qpos, std::span<const double> qvel);
  // `actions` is size() x action_size, row-major. float32 actions compute reward terms in float32 (Env::step).
  void step(std::span<const double> actions);
  void step(std::span<const float> actions);

  std::span<const double> observations() const { return observations_; }
  std::span<const double> rewards() const { return rewards_; }
  bool terminated(int i) const { return terminated_[static_cast<std::size_t>(i)] != 0; }
  bool truncated(int i) const { return truncated_[static_cast<std::size_t>(i)] != 0; }
  bool done(int i) const { return terminated(i) || truncated(i); }
  std::span<const double> final_observation(int i) const;
  std::span<const double> final_info(int i) const;

 private:
  struct State {
    std::vector<double> qpos;
    std::vector<double> qvel;
  };
  template <typename Action>
  void step_all(std::span<const Action> actions);
  template <typename Action>
  void step_range(std::span<const Action> actions, std::size_t begin, std::size_t end);
  void copy_observation(std::size_t i, std::span<const double> obs);

  std::vector<std::unique_ptr<Env>> envs_;
  ThreadPool pool_;
  std::size_t obs_size_;
  std::size_t action_size_;
  std::vector<double> observations_;
  std::vector<double> rewards_;
  std::vector<std::uint8_t> terminated_;
  std::vector<std::uint8_t> truncated_;
  std::vector<std::vector<double>> final_observations_;
  std::vector<std::vector<double>> final_infos_;
  std::vector<std::optional<State>> next_initial_states_;
};

}  // namespace credo::envs
