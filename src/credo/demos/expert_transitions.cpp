#include "credo/demos/expert_transitions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/envs/env.h"

namespace credo::demos {

namespace {

void check(const Demonstrations& d, const std::string& source, const ExpertSelection& s, std::int64_t used) {
  if (s.episodes < 0) {
    throw UsageError(
        fmt::format("config key 'demo_episodes' must be >= 0 (0: all episodes), got {}", s.episodes));
  }
  if (s.subsample < 1) {
    throw UsageError(fmt::format(
        "config key 'demo_subsample' must be >= 1 (1: every transition; DAC keeps every 20th), got {}",
        s.subsample));
  }
  std::int64_t shortest = d.episode_length(0);
  for (std::int64_t e = 1; e < used; ++e) shortest = std::min(shortest, d.episode_length(e));
  if (s.subsample > shortest) {
    throw UsageError(fmt::format(
        "config key 'demo_subsample' ({}) is longer than the shortest of the {} selected episodes of {} ({} "
        "transitions); use at most {}",
        s.subsample, used, source, shortest, shortest));
  }
}

}  // namespace

ExpertTransitions select_expert_transitions(const Demonstrations& d, const std::string& source,
                                            const ExpertSelection& s, std::span<const double> low,
                                            std::span<const double> high) {
  const std::int64_t used = s.episodes == 0 ? d.episodes() : std::min(s.episodes, d.episodes());
  check(d, source, s, used);
  ExpertTransitions out;
  out.obs_width = d.obs_dim + (s.absorbing ? 1 : 0);
  out.act_dim = d.act_dim;
  out.episodes = used;
  const envs::Box space{{low.begin(), low.end()}, {high.begin(), high.end()}};
  const auto add_row = [&](const float* obs, const float* action, bool absorbing, float weight) {
    for (std::int64_t j = 0; j < d.obs_dim; ++j) out.observations.push_back(absorbing ? 0.0F : obs[j]);
    if (s.absorbing) out.observations.push_back(absorbing ? 1.0F : 0.0F);
    for (std::int64_t j = 0; j < d.act_dim; ++j) {
      const double a = absorbing ? 0.0 : space.to_unit(static_cast<std::size_t>(j), action[j]);
      out.actions.push_back(static_cast<float>(a));
    }
    out.weights.push_back(weight);
  };
  Rng rng(s.seed + 11'000'000);  // a stream of its own
  for (std::int64_t e = 0; e < used; ++e) {
    const auto begin = d.episode_starts[static_cast<std::size_t>(e)];
    const auto length = d.episode_length(e);
    // DAC counts i = 1, 2, ... and keeps i with (i + offset) % rate == 0, offset uniform in [0, rate).
    const auto offset = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(s.subsample)));
    for (std::int64_t i = 1; i <= length; ++i) {
      if ((i + offset) % s.subsample != 0) continue;
      const auto row = static_cast<std::size_t>(begin + i - 1);
      add_row(&d.observations[row * static_cast<std::size_t>(d.obs_dim)],
              &d.actions[row * static_cast<std::size_t>(d.act_dim)], false, 1.0F);
    }
    if (s.absorbing && d.terminals[static_cast<std::size_t>(begin + length - 1)]) {
      add_row(nullptr, nullptr, true, 1.0F / static_cast<float>(s.subsample));
      ++out.absorbing_rows;
    }
  }
  out.expert_return = d.expert_return_mean;
  if (!std::isfinite(out.expert_return)) out.expert_return = return_stats(d.episode_returns()).mean;
  return out;
}

}  // namespace credo::demos
