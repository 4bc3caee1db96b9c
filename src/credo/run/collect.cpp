#include "credo/run/collect.h"

#include <algorithm>
#include <cmath>

#include "credo/core/rng.h"
#include "credo/core/stop_signal.h"

namespace credo::run {

demos::Demonstrations collect(rl::Policy& policy, envs::Env& env, const CollectOptions& options,
                       const std::function<void(std::int64_t)>& on_progress) {
  const auto& spec = env.spec();
  demos::Demonstrations d;
  d.env_id = spec.id;
  d.obs_dim = static_cast<std::int64_t>(spec.observation_space.size());
  d.act_dim = static_cast<std::int64_t>(spec.action_space.size());
  d.collection_seed = static_cast<std::int64_t>(options.seed);
  d.noise = options.noise;
  d.algo = policy.algo();
  if (options.transitions > 0) {
    const auto n = static_cast<std::size_t>(options.transitions);
    d.observations.reserve(n * static_cast<std::size_t>(d.obs_dim));
    d.next_observations.reserve(n * static_cast<std::size_t>(d.obs_dim));
    d.actions.reserve(n * static_cast<std::size_t>(d.act_dim));
  }
  Rng rng(options.seed);
  const auto& low = spec.action_space.low;
  const auto& high = spec.action_space.high;
  std::vector<float> normalized(static_cast<std::size_t>(d.act_dim)), action(normalized.size());
  auto obs_tensor = torch::empty({1, d.obs_dim});
  std::vector<double> obs;
  std::vector<double> finished_returns;
  for (std::uint64_t k = 0;; ++k) {
    if (options.episodes > 0 && static_cast<std::int64_t>(k) == options.episodes) break;
    env.reset(options.seed + k);
    double total = 0.0;
    for (;;) {
      obs.assign(env.observation().begin(), env.observation().end());
      std::copy(obs.begin(), obs.end(), obs_tensor.data_ptr<float>());
      const auto a = policy.act_normalized(obs_tensor).contiguous();
      std::copy_n(a.data_ptr<float>(), normalized.size(), normalized.begin());
      if (options.noise > 0) {
        for (auto& v : normalized) {
          v = static_cast<float>(
              std::clamp(static_cast<double>(v) + options.noise * rng.normal(), -1.0, 1.0));
        }
      }
      rl::to_env_action(normalized, low, high, action);
      const auto step = env.step(std::span<const float>(action));
      total += step.reward;
      const bool cut = options.transitions > 0 && d.size() + 1 == options.transitions;
      d.append(obs, action, step.reward, env.observation(), step.terminated, step.truncated || cut);
      if (on_progress && d.size() % 10000 == 0) on_progress(d.size());
      if (step.terminated || step.truncated) finished_returns.push_back(total);
      if (step.terminated || step.truncated || cut || stop_requested()) break;
    }
    if ((options.transitions > 0 && d.size() >= options.transitions) || stop_requested()) break;
  }
  if (finished_returns.empty()) finished_returns.push_back(d.episode_returns().back());
  const auto stats = demos::return_stats(finished_returns);
  d.expert_return_mean = stats.mean;
  d.expert_return_std = stats.std;
  return d;
}

}  // namespace credo::run
