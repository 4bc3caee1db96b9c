// `credo env list | rollout | report`.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "credo/cli/commands.h"
#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/input_file.h"
#include "credo/core/rng.h"
#include "credo/envs/registry.h"
#include "credo/envs/rollout.h"

namespace credo::cli {

namespace {

nlohmann::json read_json_file(const std::string& path) {
  require_readable_file(path, "rollout spec file", "pass a JSON file (docs/cli.md, `credo env rollout`)");
  std::ifstream in(path);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("'" + path + "' is not valid JSON: " + e.what());
  }
}

void env_list() {
  fmt::print("{:<16} {:>4} {:>4} {:>6}  {}\n", "id", "obs", "act", "steps", "description");
  for (const auto& entry : envs::env_registry()) {
    const auto env = envs::make_env(entry.id);
    const auto& spec = env->spec();
    fmt::print("{:<16} {:>4} {:>4} {:>6}  {}\n", entry.id, spec.observation_space.size(),
               spec.action_space.size(), spec.max_episode_steps, entry.summary);
  }
}

const char* kind_label(envs::OptionKind kind) {
  switch (kind) {
    case envs::OptionKind::number:
      return "number";
    case envs::OptionKind::integer:
      return "integer";
    case envs::OptionKind::boolean:
      return "bool";
    case envs::OptionKind::range:
      return "[low, high]";
    case envs::OptionKind::text:
      return "string";
  }
  return "?";
}

void env_info(const std::string& id) {
  const envs::EnvEntry& entry = envs::env_entry(id);  // throws the unknown-id error listing the valid ids
  const auto env = envs::make_env(id);
  const auto& spec = env->spec();
  fmt::print("{}: {}\n", id, entry.summary);
  fmt::print("observation: {} values ({})\n", spec.observation_space.size(),
             spec.observation_dtype == envs::Precision::f32 ? "float32" : "float64");
  std::string bounds;
  for (std::size_t i = 0; i < spec.action_space.size(); ++i) {
    bounds += fmt::format("{}[{}, {}]", i ? " " : "", spec.action_space.low[i], spec.action_space.high[i]);
  }
  fmt::print("action: {} values, bounds {}\n", spec.action_space.size(), bounds);
  fmt::print("episode limit: {} steps (truncated)\n", spec.max_episode_steps);
  if (spec.reward_threshold) fmt::print("reward threshold: {}\n", *spec.reward_threshold);
  std::string keys;
  for (const auto& k : spec.info_keys) keys += (keys.empty() ? "" : ", ") + k;
  fmt::print("step info: {}\n", keys.empty() ? "(none)" : keys);
  fmt::print("\noptions:\n");
  for (const auto& option : entry.options) {
    fmt::print("  {:<44} {:<12} default {:<18} {}\n", option.name, kind_label(option.kind),
               option.default_value.dump(), option.description);
  }
}

void env_rollout(const std::string& in_path, const std::string& out_path) {
  const auto spec = envs::parse_rollout_spec(read_json_file(in_path), in_path);
  const auto traj = envs::run_rollout(spec);
  write_file_atomically(out_path, traj.dump() + "\n");
}

struct EpisodeStats {
  double mean_return = 0.0;
  double mean_length = 0.0;
  double steps_per_second = 0.0;
};

// Runs `episodes` full episodes with uniform-random actions (or all-zero actions) and measures the step rate.
EpisodeStats run_episodes(envs::Env& env, int episodes, bool random_actions, std::uint64_t seed) {
  Rng rng(seed);
  const auto& space = env.spec().action_space;
  std::vector<double> action(space.size(), 0.0);
  double total_return = 0.0;
  long steps = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int e = 0; e < episodes; ++e) {
    env.reset(seed + static_cast<std::uint64_t>(e));
    while (true) {
      if (random_actions) {
        for (std::size_t i = 0; i < action.size(); ++i) action[i] = rng.uniform(space.low[i], space.high[i]);
      }
      const auto r = env.step(std::span<const double>(action));
      total_return += r.reward;
      ++steps;
      if (r.terminated || r.truncated) break;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {total_return / episodes, static_cast<double>(steps) / episodes,
          static_cast<double>(steps) / seconds};
}

void env_report(int episodes, std::uint64_t seed, const std::string& json_path) {
  fmt::print("credo env report: {} episodes per policy, seed {}\n\n", episodes, seed);
  fmt::print("{:<16} {:>14} {:>10} {:>14} {:>10} {:>12}\n", "env", "random return", "length", "zero return",
             "length", "steps/s");
  nlohmann::json report = nlohmann::json::array();
  for (const auto& id : envs::env_ids()) {
    auto env = envs::make_env(id);
    const auto random = run_episodes(*env, episodes, true, seed);
    const auto zero = run_episodes(*env, episodes, false, seed);
    fmt::print("{:<16} {:>14.1f} {:>10.1f} {:>14.1f} {:>10.1f} {:>12.0f}\n", id, random.mean_return,
               random.mean_length, zero.mean_return, zero.mean_length, random.steps_per_second);
    report.push_back({{"env", id},
                      {"random_return_mean", random.mean_return},
                      {"random_length_mean", random.mean_length},
                      {"zero_return_mean", zero.mean_return},
                      {"zero_length_mean", zero.mean_length},
                      {"steps_per_second", random.steps_per_second}});
  }
  if (!json_path.empty()) write_file_atomically(json_path, report.dump(2) + "\n");
}

}  // namespace

void add_env_commands(CLI::App& app) {
  auto* env = app.add_subcommand("env", "Environments: list them, replay actions, report on random rollouts");
  env->require_subcommand(1);

  env->add_subcommand("list", "List environment ids with observation and action sizes")->callback(env_list);

  auto* info = env->add_subcommand("info", "Show one environment: spaces, limits, info keys and its options");
  auto info_id = std::make_shared<std::string>();
  info->add_option("id", *info_id, "environment id, as in `credo env list`")->required();
  info->callback([info_id] { env_info(*info_id); });

  auto* rollout =
      env->add_subcommand("rollout", "Replay an action sequence from a SPEC file into a TRAJ file");
  struct RolloutArgs {
    std::string in_path, out_path;
  };
  auto r = std::make_shared<RolloutArgs>();
  rollout
      ->add_option("--in", r->in_path,
                   "SPEC.json: {env, [options], [seed | qpos+qvel], actions, [action_dtype]}")
      ->required();
  rollout->add_option("--out", r->out_path, "TRAJ.json to write (atomically)")->required();
  rollout->callback([r] { env_rollout(r->in_path, r->out_path); });

  auto* report = env->add_subcommand("report", "Random- and zero-action episodes on every environment");
  struct ReportArgs {
    int episodes = 3;
    std::uint64_t seed = 0;
    std::string json_path;
  };
  auto a = std::make_shared<ReportArgs>();
  report->add_option("--episodes", a->episodes, "episodes per policy and env")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  report->add_option("--seed", a->seed, "seed for resets and random actions")->capture_default_str();
  report->add_option("--json", a->json_path, "also write the numbers to this JSON file");
  report->callback([a] { env_report(a->episodes, a->seed, a->json_path); });
}

}  // namespace credo::cli
