#include "credo/demos/demonstrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "credo/core/error.h"

namespace credo::demos {

std::int64_t Demonstrations::episode_length(std::int64_t episode) const {
  const auto e = static_cast<std::size_t>(episode);
  const std::int64_t end = e + 1 < episode_starts.size() ? episode_starts[e + 1] : size();
  return end - episode_starts[e];
}

std::vector<double> Demonstrations::episode_returns() const {
  std::vector<double> returns;
  returns.reserve(episode_starts.size());
  for (std::int64_t e = 0; e < episodes(); ++e) {
    const auto begin = episode_starts[static_cast<std::size_t>(e)];
    double total = 0.0;
    for (std::int64_t i = begin; i < begin + episode_length(e); ++i)
      total += rewards[static_cast<std::size_t>(i)];
    returns.push_back(total);
  }
  return returns;
}

void Demonstrations::append(std::span<const double> obs, std::span<const float> action, double reward,
                            std::span<const double> next_obs, bool terminal, bool timeout) {
  if (size() == 0 || terminals.back() || timeouts.back()) episode_starts.push_back(size());
  observations.insert(observations.end(), obs.begin(), obs.end());
  actions.insert(actions.end(), action.begin(), action.end());
  rewards.push_back(static_cast<float>(reward));
  terminals.push_back(terminal ? 1 : 0);
  timeouts.push_back(timeout ? 1 : 0);
  next_observations.insert(next_observations.end(), next_obs.begin(), next_obs.end());
}

void Demonstrations::derive_episode_starts() {
  episode_starts.clear();
  for (std::int64_t i = 0; i < size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (i == 0 || terminals[k - 1] || timeouts[k - 1]) episode_starts.push_back(i);
  }
}

ReturnStats return_stats(std::span<const double> returns) {
  ReturnStats s;
  if (returns.empty()) return s;
  const auto n = static_cast<double>(returns.size());
  s.min = s.max = returns.front();
  for (double r : returns) {
    s.mean += r / n;
    s.min = std::min(s.min, r);
    s.max = std::max(s.max, r);
  }
  double var = 0.0;
  for (double r : returns) var += (r - s.mean) * (r - s.mean) / n;
  s.std = std::sqrt(var);
  return s;
}

namespace {

void check_finite(std::span<const float> values, std::int64_t width, const char* name,
                  const std::string& source) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw UsageError(
          fmt::format("demonstrations '{}': '{}' holds a non-finite value ({}) at transition {}; "
                      "remove or repair that transition",
                      source, name, values[i], static_cast<std::int64_t>(i) / width));
    }
  }
}

void check_rows(std::size_t values, std::int64_t width, std::int64_t rows, const char* name,
                const std::string& source) {
  if (static_cast<std::int64_t>(values) != rows * width) {
    throw UsageError(fmt::format(
        "demonstrations '{}': '{}' has {} rows of {}, but 'rewards' has {} rows; "
        "every array needs one row per transition",
        source, name, static_cast<std::int64_t>(values) / std::max<std::int64_t>(1, width), width, rows));
  }
}

void warn(const std::string& line) {
  std::fprintf(stderr, "credo: warning: %s\n", line.c_str());
}

// Actions a little outside the bounds come from unclipped Gaussian policies (PPO's buffers keep them) and are
// clipped to the bounds as the env clips them; an action farther outside than the bounds are wide is not this
// env's action at all (a scaled or corrupt file).
void check_action_bounds(const Demonstrations& d, const std::string& source, const envs::EnvSpec& spec) {
  const auto& low = spec.action_space.low;
  const auto& high = spec.action_space.high;
  std::int64_t outside = 0;
  double largest = 0.0;
  for (std::size_t i = 0; i < d.actions.size(); ++i) {
    const auto j = i % static_cast<std::size_t>(d.act_dim);
    const double a = d.actions[i], width = high[j] - low[j];
    const double excess = std::max(low[j] - a, a - high[j]);
    if (excess <= 1e-6 * (1.0 + std::abs(a))) continue;
    if (excess > width) {
      throw UsageError(fmt::format(
          "demonstrations '{}': action {} of transition {} is {}, far outside {}'s bounds [{}, {}]; these "
          "are "
          "not {} actions (scaled or corrupt?)",
          source, j, i / static_cast<std::size_t>(d.act_dim), a, spec.id, low[j], high[j], spec.id));
    }
    ++outside;
    largest = std::max(largest, excess);
  }
  if (outside > 0) {
    warn(
        fmt::format("demonstrations '{}': {} of {} action values lie outside {}'s bounds (by up to {:.3g}); "
                    "they are clipped to the bounds, as the env clips them",
                    source, outside, d.actions.size(), spec.id, largest));
  }
}

void check_episode_structure(const Demonstrations& d, const std::string& source, const envs::EnvSpec& spec) {
  std::int64_t longer = 0, longest = 0, terminals = 0;
  for (std::int64_t e = 0; e < d.episodes(); ++e) {
    const auto length = d.episode_length(e);
    if (spec.max_episode_steps > 0 && length > spec.max_episode_steps) ++longer;
    longest = std::max(longest, length);
  }
  for (const auto t : d.terminals) terminals += t;
  if (longer > 0) {
    warn(
        fmt::format("demonstrations '{}': {} of {} episodes are longer than {}'s time limit of {} steps "
                    "(longest {}); are terminal or timeout flags missing?",
                    source, longer, d.episodes(), spec.id, spec.max_episode_steps, longest));
  }
  if (!spec.can_terminate && terminals > 0) {
    warn(fmt::format(
        "demonstrations '{}': {} of {} transitions are terminal, but {} episodes never terminate (they "
        "only time out); are the terminal and timeout flags swapped?",
        source, terminals, d.size(), spec.id));
  } else if (terminals == d.size() && d.size() > 1) {
    warn(fmt::format(
        "demonstrations '{}': every one of its {} transitions is terminal (episodes of one step); "
        "are the terminal flags right?",
        source, terminals));
  }
}

}  // namespace

void validate(const Demonstrations& d, const std::string& source) {
  const auto n = d.size();
  if (n == 0) {
    throw UsageError(
        fmt::format("demonstrations '{}' hold zero transitions; collect some with `credo collect`", source));
  }
  if (d.obs_dim <= 0 || d.act_dim <= 0) {
    throw UsageError(
        fmt::format("demonstrations '{}': observation size {} and action size {} must be positive", source,
                    d.obs_dim, d.act_dim));
  }
  check_rows(d.observations.size(), d.obs_dim, n, kObservations, source);
  check_rows(d.actions.size(), d.act_dim, n, kActions, source);
  check_rows(d.terminals.size(), 1, n, kTerminals, source);
  check_rows(d.timeouts.size(), 1, n, kTimeouts, source);
  check_rows(d.next_observations.size(), d.obs_dim, n, kNextObservations, source);
  check_finite(d.observations, d.obs_dim, kObservations, source);
  check_finite(d.actions, d.act_dim, kActions, source);
  check_finite(d.rewards, 1, kRewards, source);
  check_finite(d.next_observations, d.obs_dim, kNextObservations, source);
  if (d.episode_starts.empty() || d.episode_starts.front() != 0) {
    throw UsageError(fmt::format("demonstrations '{}': '{}' must start with 0", source, kEpisodeStarts));
  }
  for (std::size_t e = 1; e < d.episode_starts.size(); ++e) {
    if (d.episode_starts[e] <= d.episode_starts[e - 1] || d.episode_starts[e] >= n) {
      throw UsageError(
          fmt::format("demonstrations '{}': '{}' must increase and stay below {} (entry {} is {})", source,
                      kEpisodeStarts, n, e, d.episode_starts[e]));
    }
  }
}

void validate_for_env(const Demonstrations& d, const std::string& source, const envs::EnvSpec& spec) {
  const auto obs_dim = static_cast<std::int64_t>(spec.observation_space.size());
  const auto act_dim = static_cast<std::int64_t>(spec.action_space.size());
  if (d.obs_dim != obs_dim || d.act_dim != act_dim) {
    throw UsageError(fmt::format(
        "demonstrations '{}' have observations of size {} and actions of size {}, but {} has {} and {}; "
        "use demonstrations collected on {}",
        source, d.obs_dim, d.act_dim, spec.id, obs_dim, act_dim, spec.id));
  }
  if (!d.env_id.empty() && d.env_id != spec.id) {
    throw UsageError(fmt::format("demonstrations '{}' were collected on {}, not {}; use demonstrations of {}",
                                 source, d.env_id, spec.id, spec.id));
  }
  check_action_bounds(d, source, spec);
  check_episode_structure(d, source, spec);
}

}  // namespace credo::demos
