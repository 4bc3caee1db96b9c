#pragma once
// Demonstrations: expert transitions in the flat layout offline-RL tools read (D4RL's keys), with episode
// boundaries and where they came from. docs/demonstrations.md describes the files that hold them.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "credo/envs/env.h"

namespace credo::demos {

// The names of the per-transition arrays, in the order files list them.
inline constexpr const char* kObservations = "observations";
inline constexpr const char* kActions = "actions";
inline constexpr const char* kRewards = "rewards";
inline constexpr const char* kTerminals = "terminals";
inline constexpr const char* kTimeouts = "timeouts";
inline constexpr const char* kNextObservations = "next_observations";
inline constexpr const char* kEpisodeStarts = "episode_starts";  // index of each episode's first transition
inline constexpr const char* kFormat = "credo-demos-1";

struct Demonstrations {
  std::string env_id;  // empty when the source did not record one
  std::int64_t obs_dim = 0, act_dim = 0;
  std::vector<float> observations;       // size() x obs_dim, row-major
  std::vector<float> actions;            // size() x act_dim, in the env's units (what the env received)
  std::vector<float> rewards;            // true env reward
  std::vector<std::uint8_t> terminals;   // the episode ended in a terminal state (no bootstrap)
  std::vector<std::uint8_t> timeouts;    // the episode was cut here (time limit, or the end of a collection)
  std::vector<float> next_observations;  // size() x obs_dim
  std::vector<std::int64_t> episode_starts;

  // Where the data came from (attributes of the file).
  double expert_return_mean = std::numeric_limits<double>::quiet_NaN();
  double expert_return_std = std::numeric_limits<double>::quiet_NaN();
  std::int64_t collection_seed = -1;  // -1: unknown
  double noise = 0.0;                 // std of the Gaussian noise on normalised actions during collection
  std::string policy;                 // the policy file it was collected with, when known
  std::string algo;                   // the learner that trained that policy, when known
  std::string credo_version;          // of the credo that wrote the file; empty for files from elsewhere

  std::int64_t size() const { return static_cast<std::int64_t>(rewards.size()); }
  std::int64_t episodes() const { return static_cast<std::int64_t>(episode_starts.size()); }
  std::int64_t episode_length(std::int64_t episode) const;
  std::vector<double> episode_returns() const;  // sum of rewards of each episode, in order

  // Appends one transition; a transition that follows a terminal or timeout starts a new episode.
  void append(std::span<const double> obs, std::span<const float> action, double reward,
              std::span<const double> next_obs, bool terminal, bool timeout);

  // Episode starts from the terminal and timeout flags (for files that do not store them): a new episode
  // begins after each flagged transition.
  void derive_episode_starts();
};

struct ReturnStats {
  double mean = 0.0, std = 0.0, min = 0.0, max = 0.0;  // std: population standard deviation (numpy's np.std)
};
ReturnStats return_stats(std::span<const double> returns);  // of a non-empty list

// Checks that `d` is complete and consistent: at least one transition, every array of the right length,
// finite values, 0/1 flags, and episode starts that begin at 0 and increase. Throws UsageError naming
// `source`.
void validate(const Demonstrations& d, const std::string& source);

// Checks that `d` fits the env (its recorded env id, observation and action sizes, actions not far outside the
// action bounds): throws UsageError naming `source` when not. Data that can legitimately be odd (actions a
// little outside the bounds, episodes longer than the time limit, terminal flags where the env never
// terminates) gets one warning line on stderr each, naming the count.
void validate_for_env(const Demonstrations& d, const std::string& source, const envs::EnvSpec& spec);

}  // namespace credo::demos
