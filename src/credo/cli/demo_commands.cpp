// `credo collect`, `credo demos info|convert` and `credo export`.
#include <fmt/format.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "credo/cli/commands.h"
#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/stop_signal.h"
#include "credo/run/collect.h"
#include "credo/demos/demo_files.h"
#include "credo/envs/registry.h"
#include "credo/rl/policy_export.h"
#include "credo/rl/policy_file.h"

namespace credo::cli {

namespace {

void refuse_overwrite(const std::filesystem::path& out, bool force) {
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && !force) {
    throw UsageError(fmt::format("'{}' already exists; pass --force to replace it, or choose another --out",
                                 out.string()));
  }
}

// The policy must fit the env's sizes, and have been trained on it unless the user says otherwise.
void check_policy_fits(const rl::Policy& policy, const std::string& policy_path, const envs::Env& env,
                       bool any_env) {
  const auto& spec = env.spec();
  if (static_cast<std::int64_t>(spec.observation_space.size()) != policy.head().obs_dim ||
      static_cast<std::int64_t>(spec.action_space.size()) != policy.head().act_dim) {
    throw UsageError(
        fmt::format("policy '{}' was trained on {} (obs {}, act {}) and does not fit {} (obs {}, act {})",
                    policy_path, policy.env_id(), policy.head().obs_dim, policy.head().act_dim, spec.id,
                    spec.observation_space.size(), spec.action_space.size()));
  }
  if (policy.env_id() != spec.id && !any_env) {
    throw UsageError(fmt::format("policy '{}' was trained on {}, not {}; pass --env {}, or add --any-env",
                                 policy_path, policy.env_id(), spec.id, policy.env_id()));
  }
}

struct CollectArgs {
  std::string policy, env, out;
  std::int64_t transitions = 0, episodes = 0, seed = 0;
  double noise = 0.0;
  bool any_env = false, force = false;
};

void run_collect(const CollectArgs& a) {
  if ((a.transitions > 0) == (a.episodes > 0)) {
    throw UsageError("pass exactly one of --transitions N or --episodes N, with N > 0");
  }
  if (a.transitions < 0 || a.episodes < 0) throw UsageError("--transitions and --episodes must be positive");
  if (a.seed < 0) throw UsageError(fmt::format("--seed must be >= 0, got {}", a.seed));
  if (!(a.noise >= 0.0) || !std::isfinite(a.noise)) {
    throw UsageError(
        fmt::format("--noise must be a finite number >= 0 (std on actions in [-1, 1]), got {}", a.noise));
  }
  demos::require_demo_extension(a.out);
  refuse_overwrite(a.out, a.force);
  auto policy = rl::Policy::load(a.policy);
  auto env = envs::make_env(a.env);
  check_policy_fits(policy, a.policy, *env, a.any_env);
  torch::set_num_threads(1);  // one observation at a time: more threads only add synchronisation

  const bool tty = isatty(fileno(stderr));
  const auto start = std::chrono::steady_clock::now();
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  install_stop_handlers();
  run::CollectOptions options{a.transitions, a.episodes, static_cast<std::uint64_t>(a.seed), a.noise};
  auto d = run::collect(policy, *env, options, [&](std::int64_t done) {
    if (!tty) return;
    const double sps = static_cast<double>(done) / std::max(1e-9, seconds());
    if (a.transitions > 0) {
      std::fprintf(stderr, "\r\033[Kcollect %s  %lld/%lld transitions  %.0f steps/s  ETA %.0fs",
                   a.env.c_str(), static_cast<long long>(done), static_cast<long long>(a.transitions), sps,
                   static_cast<double>(a.transitions - done) / sps);
    } else {
      std::fprintf(stderr, "\r\033[Kcollect %s  %lld transitions  %.0f steps/s", a.env.c_str(),
                   static_cast<long long>(done), sps);
    }
  });
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (stop_requested()) {
    throw UsageError(
        fmt::format("collection interrupted after {} transitions; nothing written to '{}'", d.size(), a.out));
  }
  d.policy = std::filesystem::path(a.policy).filename().string();
  demos::save_demonstrations(a.out, d);
  const double elapsed = seconds();
  std::printf(
      "collected %lld transitions in %lld episodes on %s in %.1fs (%.0f steps/s): expert return %.2f +- "
      "%.2f -> %s\n",
      static_cast<long long>(d.size()), static_cast<long long>(d.episodes()), a.env.c_str(), elapsed,
      static_cast<double>(d.size()) / std::max(1e-9, elapsed), d.expert_return_mean, d.expert_return_std,
      a.out.c_str());
}

struct InfoArgs {
  std::string file, env, json;
};

void run_info(const InfoArgs& a) {
  const auto d = demos::load_demonstrations(a.file);
  if (!a.env.empty()) {
    const auto env = envs::make_env(a.env);
    const auto& spec = env->spec();
    demos::validate_for_env(d, a.file, spec);
  }
  const auto returns = d.episode_returns();
  const auto stats = demos::return_stats(returns);
  std::int64_t terminals = 0, timeouts = 0;
  for (auto t : d.terminals) terminals += t;
  for (auto t : d.timeouts) timeouts += t;
  std::printf("file            %s\n", a.file.c_str());
  std::printf("env             %s\n", d.env_id.empty() ? "(not recorded)" : d.env_id.c_str());
  std::printf("transitions     %lld\n", static_cast<long long>(d.size()));
  std::printf("episodes        %lld (terminal %lld, timeout %lld)\n", static_cast<long long>(d.episodes()),
              static_cast<long long>(terminals), static_cast<long long>(timeouts));
  std::printf("sizes           obs %lld, act %lld\n", static_cast<long long>(d.obs_dim),
              static_cast<long long>(d.act_dim));
  std::printf("episode return  mean %.2f, std %.2f, min %.2f, max %.2f\n", stats.mean, stats.std, stats.min,
              stats.max);
  std::printf("episode length  mean %.1f\n",
              static_cast<double>(d.size()) / static_cast<double>(d.episodes()));
  if (std::isfinite(d.expert_return_mean)) {
    std::printf("expert return   %.2f +- %.2f (recorded)\n", d.expert_return_mean, d.expert_return_std);
  }
  if (d.collection_seed >= 0)
    std::printf("collection      seed %lld, noise %g\n", static_cast<long long>(d.collection_seed), d.noise);
  if (!d.policy.empty() || !d.algo.empty())
    std::printf("source          %s %s\n", d.algo.c_str(), d.policy.c_str());
  if (!d.credo_version.empty()) std::printf("written by      credo %s\n", d.credo_version.c_str());
  if (!a.json.empty()) {
    nlohmann::ordered_json j;
    j["file"] = a.file;
    j["env_id"] = d.env_id;
    j["transitions"] = d.size();
    j["episodes"] = d.episodes();
    j["terminal_episodes"] = terminals;
    j["timeout_episodes"] = timeouts;
    j["obs_dim"] = d.obs_dim;
    j["act_dim"] = d.act_dim;
    j["return_mean"] = stats.mean;
    j["return_std"] = stats.std;
    j["return_min"] = stats.min;
    j["return_max"] = stats.max;
    j["expert_return_mean"] =
        std::isfinite(d.expert_return_mean) ? nlohmann::json(d.expert_return_mean) : nlohmann::json();
    j["episode_returns"] = returns;
    write_file_atomically(a.json, j.dump(2) + "\n");
  }
}

struct ConvertArgs {
  std::string in, out, env;
  bool force = false;
};

void run_convert(const ConvertArgs& a) {
  demos::require_demo_extension(a.out);
  refuse_overwrite(a.out, a.force);
  auto d = demos::load_demonstrations(a.in);
  if (!a.env.empty()) {
    const auto env = envs::make_env(a.env);
    const auto& spec = env->spec();
    demos::validate_for_env(d, a.in, spec);
    d.env_id = a.env;
  }
  if (!std::isfinite(d.expert_return_mean)) {  // files from elsewhere: the demonstrations' own mean return
    const auto stats = demos::return_stats(d.episode_returns());
    d.expert_return_mean = stats.mean;
    d.expert_return_std = stats.std;
  }
  demos::save_demonstrations(a.out, d);
  std::printf("converted %lld transitions in %lld episodes: %s -> %s\n", static_cast<long long>(d.size()),
              static_cast<long long>(d.episodes()), a.in.c_str(), a.out.c_str());
}

struct ExportArgs {
  std::string policy, out;
  bool force = false;
};

void run_export(const ExportArgs& a) {
  refuse_overwrite(a.out, a.force);
  const auto policy = rl::Policy::load(a.policy);
  rl::export_torchscript(policy, a.out);
  std::printf("exported %s policy for %s to %s (load it with torch.jit.load)\n", policy.algo().c_str(),
              policy.env_id().c_str(), a.out.c_str());
}

}  // namespace

void add_demo_commands(CLI::App& app) {
  auto c = std::make_shared<CollectArgs>();
  auto* collect = app.add_subcommand("collect", "Roll a policy out into a demonstration file (.h5 or .npz)");
  collect->add_option("--policy", c->policy, "policy file (final_policy.pt of a run, or an expert)")
      ->required();
  collect->add_option("--env", c->env, "env id")->required();
  collect->add_option("--transitions", c->transitions, "number of transitions (the last episode is cut)");
  collect->add_option("--episodes", c->episodes, "number of whole episodes");
  collect->add_option("--seed", c->seed, "seed: episode k starts from reset(seed + k) (default 0)");
  collect->add_option("--out", c->out, "demonstration file to write (.h5, .hdf5 or .npz)")->required();
  collect->add_option("--noise", c->noise,
                      "std of Gaussian noise on the normalised action in [-1, 1] (default 0)");
  collect->add_flag("--any-env", c->any_env,
                    "collect on --env even if the policy was trained on another env");
  collect->add_flag("--force", c->force, "replace --out if it exists");
  collect->callback([c] { run_collect(*c); });

  auto* demos = app.add_subcommand("demos", "Inspect and convert demonstration files");
  demos->require_subcommand(1);
  auto i = std::make_shared<InfoArgs>();
  auto* info = demos->add_subcommand("info", "Summary of a demonstration file (checks it fully)");
  info->add_option("file", i->file, "demonstration file (.h5, .npz), Minari dataset folder or minari:ID")
      ->required();
  info->add_option("--env", i->env, "also check that the demonstrations fit this env");
  info->add_option("--json", i->json, "also write the summary to this JSON file");
  info->callback([i] { run_info(*i); });
  auto v = std::make_shared<ConvertArgs>();
  auto* convert =
      demos->add_subcommand("convert", "Convert demonstrations (.h5, .npz, Minari) to .h5 or .npz");
  convert->add_option("input", v->in, "demonstration file, Minari dataset folder or minari:ID")->required();
  convert->add_option("output", v->out, "file to write (.h5, .hdf5 or .npz)")->required();
  convert->add_option("--env", v->env, "check the sizes against this env and record it as the env id");
  convert->add_flag("--force", v->force, "replace the output if it exists");
  convert->callback([v] { run_convert(*v); });

  auto e = std::make_shared<ExportArgs>();
  auto* exp = app.add_subcommand("export", "Export a policy as TorchScript for Python (torch.jit.load)");
  exp->add_option("--policy", e->policy, "policy file")->required();
  exp->add_option("--out", e->out, "TorchScript file to write (policy.pt)")->required();
  exp->add_flag("--force", e->force, "replace --out if it exists");
  exp->callback([e] { run_export(*e); });
}

}  // namespace credo::cli
