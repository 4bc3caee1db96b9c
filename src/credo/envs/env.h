#pragma once
// The environment interface every credo task implements.
//
// Semantics follow Gymnasium's `gym.make(id)`: `step` reports `terminated` (a true end of the task: bootstrap
// with zero) separately from `truncated` (the registered time limit was reached: not a terminal state). The
// public methods are non-virtual and do the bookkeeping every task shares (argument checks, the time limit,
// seeding); tasks implement the protected hooks.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "credo/core/rng.h"

namespace credo::envs {

// A box-shaped space: per-dimension bounds (may be infinite).
struct Box {
  std::vector<double> low;
  std::vector<double> high;
  std::size_t size() const { return low.size(); }
  // Value `a` of dimension k on the learners' scale: [low, high] mapped onto [-1, 1], clipped to it.
  double to_unit(std::size_t k, double a) const {
    return std::clamp(2.0 * (a - low[k]) / (high[k] - low[k]) - 1.0, -1.0, 1.0);
  }
};

// The precision a caller's actions came in. Gymnasium computes reward terms in the action's own dtype (numpy
// keeps float32 arithmetic for a float32 action), so a float32 action gives a float32-rounded control cost.
enum class Precision { f64, f32 };

struct EnvSpec {
  std::string id;
  Box observation_space;
  Box action_space;
  // Gymnasium's observation dtype: float64 for the MuJoCo tasks, float32 for Pendulum (credo then stores the
  // float32-rounded values in doubles).
  Precision observation_dtype = Precision::f64;
  int max_episode_steps = 0;                 // the TimeLimit gym.make adds
  bool can_terminate = false;                // episodes can end by termination, not only by the time limit
  std::optional<double> reward_threshold;    // as registered in Gymnasium, where it has one
  std::vector<std::string> info_keys;        // info() after step(), in this order
  std::vector<std::string> reset_info_keys;  // info() after reset()
  // Info values Gymnasium computes in the action's dtype (the control cost): numpy float32 for a float32
  // action.
  std::vector<std::string> action_dtype_info_keys;
  std::size_t state_qpos_size = 0;  // sizes reset_to() takes
  std::size_t state_qvel_size = 0;
};

// How reset() draws an initial state, in Gymnasium's draw order: first every qpos entry,
// qpos_center[i] + U(-qpos_scale, qpos_scale), then every qvel entry, qvel_center[i] + U(-qvel_scale,
// qvel_scale) or, with gaussian_qvel, qvel_center[i] + qvel_scale * N(0, 1). Exposed so that a caller with
// another generator (credo's Python package draws with numpy, as Gymnasium does) can draw the same
// distribution and pass the state to reset_to().
struct ResetNoise {
  std::vector<double> qpos_center;
  std::vector<double> qvel_center;
  double qpos_scale = 0.0;
  double qvel_scale = 0.0;
  bool gaussian_qvel = false;
};

// An episode in progress, exactly (for checkpoints): the simulator's full state, the observation and info
// last returned, the step count and the reset generator. Restored into an env of the same id, it continues
// bit for bit as the env it was taken from.
struct EnvSnapshot {
  std::vector<double> physics;
  std::vector<double> observation;
  std::vector<double> info;
  std::int64_t elapsed_steps = 0;
  std::string rng;  // Rng::state()
};

struct StepResult {
  double reward = 0.0;
  bool terminated = false;
  bool truncated = false;
};

class Env {
 public:
  explicit Env(EnvSpec spec);
  virtual ~Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  const EnvSpec& spec() const { return spec_; }
  // Another time limit than the registered one, as Gymnasium's make(id, max_episode_steps=N). Throws
  // std::invalid_argument below 1.
  void set_max_episode_steps(int steps);

  // Starts an episode from a random initial state. With a seed the env's generator is reseeded first
  // (Gymnasium's reset(seed=...)); without one the generator's stream continues. An env never seeded draws a
  // seed from std::random_device on its first reset.
  std::span<const double> reset(std::optional<std::uint64_t> seed = std::nullopt);

  // Starts an episode from an exact state (MuJoCo qpos and qvel; Pendulum [theta] and [theta_dot]) instead of
  // a random one, exactly as Gymnasium's reset does after drawing its noise. For replays and parity checks.
  std::span<const double> reset_to(std::span<const double> qpos, std::span<const double> qvel);
  // The checks reset_to makes: std::invalid_argument for sizes other than the spec's or a non-finite value.
  void check_state(std::span<const double> qpos, std::span<const double> qvel) const;

  // Advances one step. Throws std::invalid_argument for an action of the wrong length or with non-finite
  // values, and std::logic_error when called before the first reset. The action is not clipped here (each
  // task does what Gymnasium does); the float overload computes reward terms as Gymnasium does for a float32
  // action.
  StepResult step(std::span<const double> action);
  StepResult step(std::span<const float> action);

  std::span<const double> observation() const { return observation_; }
  // Values of spec().info_keys after step(), of spec().reset_info_keys after reset().
  std::span<const double> info() const { return info_; }
  int elapsed_steps() const { return elapsed_steps_; }

  // The distribution reset() draws its initial state from.
  virtual ResetNoise reset_noise() const = 0;

  // The current simulator state, in the layout reset_to() takes.
  virtual std::vector<double> qpos() const = 0;
  virtual std::vector<double> qvel() const = 0;

  // The episode in progress (std::logic_error before the first reset), and back: std::invalid_argument for a
  // snapshot of another env (sizes that do not fit) or with non-finite physics.
  EnvSnapshot snapshot() const;
  void restore(const EnvSnapshot& snapshot);

 protected:
  // Set this exact initial state, then fill observation_ and info_ (reset info). Sizes are checked already.
  virtual void set_initial_state(std::span<const double> qpos, std::span<const double> qvel) = 0;
  // Advance with a checked action; fill observation_ and info_ (step info). `truncated` is set by the caller.
  virtual StepResult step_model(std::span<const double> action, Precision precision) = 0;
  // Everything the next step depends on, as a flat vector of a fixed size per env, and back (size checked).
  virtual std::vector<double> physics_state() const = 0;
  virtual void set_physics_state(std::span<const double> state) = 0;

  std::vector<double> observation_;
  std::vector<double> info_;

 private:
  StepResult checked_step(std::span<const double> action, Precision precision);
  void check_action_size(std::size_t size) const;

  EnvSpec spec_;
  Rng rng_;
  bool seeded_ = false;
  bool started_ = false;
  int elapsed_steps_ = 0;
  std::vector<double> action_buffer_;
};

// Gymnasium's control cost `w * sum(square(action))`, in the action's precision: for a float32 action numpy
// squares, sums and multiplies by the (float32-cast) weight in float32.
double control_cost(std::span<const double> action, double weight, Precision precision);

}  // namespace credo::envs
