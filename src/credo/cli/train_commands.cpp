// `credo train` and `credo eval`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "credo/cli/commands.h"
#include "credo/config/defaults.h"
#include "credo/config/key_meanings.h"
#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/core/folder_lock.h"
#include "credo/core/input_file.h"
#include "credo/demos/minari_dataset.h"
#include "credo/envs/registry.h"
#include "credo/gail/reward_transform.h"
#include "credo/nn/device.h"
#include "credo/rl/evaluation.h"
#include "credo/rl/learner_population.h"
#include "credo/rl/policy_file.h"
#include "credo/run/imitation_setup.h"
#include "credo/run/population_file.h"
#include "credo/run/population_run.h"
#include "credo/run/run_config.h"
#include "credo/run/run_options.h"
#include "credo/run/trainer.h"
#include "credo/sweep/cell_state.h"

namespace credo::cli {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path, const std::string& what) {
  require_readable_file(path, what, "pass a TOML file");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw UsageError(fmt::format("cannot read {} '{}'", what, path.string()));
  return text.str();
}

struct TrainArgs {
  std::string algo, env, out, config_file, resume, demos, reward, clip, preset, device, seeds;
  std::string seed_folder = run::kSeedFolder;
  std::int64_t steps = 0;
  std::int64_t seed = 0;
  bool force = false;
  bool show_config = false;
  bool help_config = false;
  std::vector<std::string> overrides;
};

// CREDO's clip: a positive number, "off" (stored as inf), or "auto" (credo's adaptive clip: clip_auto).
void set_clip(config::Config& c, const std::string& value, const std::string& where) {
  c.set("clip_auto", value == "auto");
  if (value == "off" || value == "auto") {
    c.set("clip", std::numeric_limits<double>::infinity());
    return;
  }
  double clip = 0.0;
  try {
    std::size_t used = 0;
    clip = std::stod(value, &used);
    if (used != value.size()) throw std::invalid_argument("trailing characters");
  } catch (const std::exception&) {
    clip = std::nan("");
  }
  if (!(clip > 0.0)) {
    throw UsageError(fmt::format("{}: clip must be a positive number, off or auto, got '{}'", where, value));
  }
  c.set("clip", clip);
}

config::Config resolve_config(const TrainArgs& a, const CLI::App& cmd) {
  if (a.algo.empty())
    throw UsageError("credo train needs --algo (one of " +
                     fmt::format("{}", fmt::join(config::known_algos(), ", ")) + ")");
  if (a.env.empty()) throw UsageError("credo train needs --env (see `credo env list`)");
  envs::env_entry(a.env);  // unknown ids fail here, listing the known ones
  // Defaults, the preset, the --config file, key=value arguments, then the flags. Whether the run imitates
  // (demos set by any of them) picks the learners' imitation-only defaults, so it is resolved twice.
  const auto resolve = [&](bool imitation) {
    config::Config c = config::default_config(a.algo, a.env, imitation);
    c.set("seed", a.seed);
    c.set("steps", std::int64_t{0});
    if (cmd.count("--preset")) config::apply_preset(c, a.preset);
    if (!a.config_file.empty()) c.override_from_toml(read_text(a.config_file, "config file"), a.config_file);
    for (const auto& kv : a.overrides) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw UsageError(fmt::format("argument '{}' is not key=value (for example lr_actor=1e-3)", kv));
      }
      const std::string key = kv.substr(0, eq);
      if (key == "algo" || key == "env")
        throw UsageError(fmt::format("set {} with --{}, not {}", key, key, kv));
      if (key == "clip") {
        set_clip(c, kv.substr(eq + 1), fmt::format("argument '{}'", kv));
      } else {
        c.override_from_text(key, kv.substr(eq + 1), fmt::format("argument '{}'", kv));
      }
    }
    return c;
  };
  config::Config c = resolve(false);
  if (cmd.count("--demos") || !c.get_string("demos").empty()) c = resolve(true);
  if (cmd.count("--demos")) {
    // Stored absolute, so `--resume` finds the file from any folder.
    std::error_code ec;
    const auto absolute = demos::is_minari_dataset(a.demos) && a.demos.starts_with("minari:")
                              ? a.demos
                              : fs::absolute(a.demos, ec).string();
    c.set("demos", absolute);
  }
  if (cmd.count("--reward")) c.set("reward", a.reward);
  if (cmd.count("--clip")) set_clip(c, a.clip, "--clip");
  if (c.get_string("demos").empty() && (cmd.count("--reward") || cmd.count("--clip"))) {
    throw UsageError(
        "--reward and --clip shape the imitation reward; add --demos FILE (demonstrations to imitate)");
  }
  if (cmd.count("--steps")) c.set("steps", a.steps);
  if (cmd.count("--seed")) c.set("seed", a.seed);
  if (cmd.count("--device")) c.set("device", a.device);
  if (c.get_int("steps") <= 0 && !a.show_config && !a.help_config) {
    throw UsageError(c.get_int("steps") == 0 && !cmd.count("--steps")
                         ? "credo train needs --steps N (environment steps, for example 300000)"
                         : fmt::format("--steps must be a positive number of environment steps, got {}",
                                       c.get_int("steps")));
  }
  return c;
}

// The resolved config with each key's meaning and what its value must be (read by the options structs; a
// config shown before --steps is given reads as a one-step run).
std::string annotated_with_requirements(const config::Config& c) {
  config::Config probe = c;
  if (probe.get_int("steps") <= 0) probe.set("steps", std::int64_t{1});
  const config::OptionReader reader(probe);
  run::TrainingOptions::read(reader);
  return config::annotated_toml(c, reader.requirements());
}

// UsageError unless `dir` can become a run folder: absent, empty, or (with force) a run folder no process
// holds.
void check_run_dir(const fs::path& dir, bool force) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw UsageError(fmt::format("--out '{}' is a file, not a folder", dir.string()));
    if (!fs::is_empty(dir, ec)) {
      if (!force) {
        throw UsageError(
            fmt::format("output folder '{}' already exists; continue it with `credo train --resume {}`, "
                        "or pass --force to start it over",
                        dir.string(), dir.string()));
      }
      if (!fs::exists(dir / "config.toml")) {
        throw UsageError(
            fmt::format("--force would delete '{}', which is not a credo run folder (no config.toml); "
                        "choose another --out",
                        dir.string()));
      }
      if (FolderLock::held_elsewhere(dir)) {
        throw UsageError(
            fmt::format("--force would delete run folder '{}' while a credo process runs in it; "
                        "wait for it to end or stop it first",
                        dir.string()));
      }
    }
  }
}

void prepare_run_dir(const fs::path& dir, bool force) {
  check_run_dir(dir, force);
  std::error_code ec;
  if (force && fs::exists(dir, ec) && !fs::is_empty(dir, ec)) fs::remove_all(dir);
  fs::create_directories(dir, ec);
  if (ec) throw UsageError(fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message()));
}

// 0 finished, 128 + signal when interrupted, 3 when the run diverged (its files are intact).
int exit_code(const run::TrainResult& result) {
  if (result.signal) return 128 + result.signal;
  return result.status == "diverged" ? 3 : 0;
}

// The worst of a population's results: an interruption, else a divergence, else 0.
int population_exit_code(const std::vector<run::TrainResult>& results) {
  int code = 0;
  for (const auto& r : results) {
    const int c = exit_code(r);
    if (c > 3 || (c == 3 && code == 0)) code = c;
  }
  return code;
}

// Locks, set-up and training of a population's seeds (run/population_run.h), new or resumed.
int train_seeds(const std::vector<config::Config>& configs, const std::vector<fs::path>& dirs, bool resume) {
  std::vector<std::unique_ptr<FolderLock>> locks;
  for (const auto& dir : dirs) locks.push_back(std::make_unique<FolderLock>(dir, "run folder"));
  const auto first = run::TrainingOptions::read(configs.front());
  const auto device = nn::select_device(first.run.device);
  const auto spec = envs::make_env(first.run.env)->spec();
  std::vector<run::ImitationParts> parts;
  std::vector<run::PopulationSeed> seeds;
  for (std::size_t k = 0; k < configs.size(); ++k) {
    parts.push_back(run::make_imitation(run::TrainingOptions::read(configs[k]), spec, device));
    seeds.push_back({configs[k], dirs[k], parts.back().expert.get(), parts.back().imitation.get()});
  }
  return population_exit_code(run::train_population(seeds, resume));
}

// `credo train --seeds 1-8 --out DIR ...`: one run folder per seed (DIR/seed-N, or DIR/--seed-folder),
// trained as one population.
int run_new_population(const TrainArgs& a, const CLI::App& cmd) {
  if (cmd.count("--seed")) throw UsageError("--seeds names every seed of the population; drop --seed");
  const auto seeds = run::parse_seeds(a.seeds);
  run::require_seed_folder(a.seed_folder);
  const config::Config c = resolve_config(a, cmd);
  if (a.out.empty())
    throw UsageError("credo train --seeds needs --out DIR (the folder that holds a run folder per seed)");
  const fs::path dir = a.out;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw UsageError(fmt::format("--out '{}' is a file, not a folder", dir.string()));
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !a.force) {
    throw UsageError(
        fmt::format("output folder '{}' already exists; continue it with `credo train --resume {}`, "
                    "or pass --force to start it over",
                    dir.string(), dir.string()));
  }
  // Everything that can refuse is checked before the disk is touched.
  const auto options = run::TrainingOptions::read(c);
  const auto device = nn::select_device(options.run.device);
  const auto spec = envs::make_env(options.run.env)->spec();
  const auto parts = run::make_imitation(options, spec, device);
  rl::LearnerPopulation::require_support({static_cast<std::int64_t>(spec.observation_space.size()),
                                          static_cast<std::int64_t>(spec.action_space.size()), c, 0,
                                          options.run.steps, parts.expert.get(), device});
  const auto file = run::population_file(seeds, a.seed_folder);
  std::vector<config::Config> configs;
  std::vector<fs::path> dirs;
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    configs.push_back(c);
    configs.back().set("seed", seeds[k]);
    dirs.push_back(run::seed_run_dir(dir, file, k));
    check_run_dir(dirs.back(), a.force);
  }
  fs::create_directories(dir, ec);
  if (ec) throw UsageError(fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message()));
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    prepare_run_dir(dirs[k], a.force);
    write_file_atomically(dirs[k] / "config.toml", configs[k].to_toml());
  }
  run::write_population_file(dir, file);
  return train_seeds(configs, dirs, false);
}

// `credo train --resume DIR` on a population's folder: its unfinished seeds, continued as one population.
int resume_population(const fs::path& dir, const TrainArgs& a, const CLI::App& cmd) {
  std::vector<config::Config> configs;
  std::vector<fs::path> dirs;
  const auto file = run::read_population_file(dir);
  for (std::size_t k = 0; k < file.seeds.size(); ++k) {
    dirs.push_back(run::seed_run_dir(dir, file, k));
    if (!fs::exists(dirs.back() / "config.toml"))
      throw UsageError(
          fmt::format("seed folder '{}' of the population is missing; restore it, or start the "
                      "population again with --force",
                      dirs.back().string()));
  }
  // Finished and diverged seeds rest, unless --steps raises every seed's budget (as `--resume --steps`
  // continues a run; a diverged seed rests even then).
  std::erase_if(dirs, [&](const fs::path& d) {
    const auto state = sweep::cell_state(d);  // what the seed's folder says, as a sweep reads it
    return state == "diverged" || (state == "finished" && !cmd.count("--steps"));
  });
  if (dirs.empty())
    throw UsageError(
        fmt::format("every seed in '{}' has ended (finished or diverged); nothing to resume", dir.string()));
  for (const auto& d : dirs) {
    configs.push_back(run::read_run_config(d));
    if (!fs::exists(d / "checkpoint.pt"))
      throw UsageError(fmt::format(
          "'{}' has no checkpoint.pt to resume from; start the population again with --force", d.string()));
    auto same = configs.back();
    same.set("seed", static_cast<std::int64_t>(run::TrainingOptions::read(configs.front()).run.seed));
    if (same.to_toml() != configs.front().to_toml())
      throw UsageError(
          fmt::format("'{}' and '{}' were configured differently, so they are not one population; "
                      "resume each with `credo train --resume`",
                      dirs.front().string(), d.string()));
  }
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    remove_interrupted_writes(dirs[k]);
    if (cmd.count("--steps")) {
      configs[k].set("steps", a.steps);
      write_file_atomically(dirs[k] / "config.toml", configs[k].to_toml());
    }
  }
  return train_seeds(configs, dirs, true);
}

// `--resume` continues `what` (a run, a population) as it was configured: options that would change it are
// refused.
void refuse_changes_on_resume(const TrainArgs& a, const CLI::App& cmd, const char* what) {
  for (const char* flag : {"--algo", "--env", "--out", "--config", "--preset", "--seed", "--seed-folder",
                           "--force", "--device"}) {
    if (cmd.count(flag))
      throw UsageError(fmt::format("--resume continues {} as it was configured; drop {}", what, flag));
  }
  if (!a.overrides.empty())
    throw UsageError(
        fmt::format("--resume continues {} as it was configured; drop the key=value arguments", what));
}

int run_train(const TrainArgs& a, const CLI::App& cmd) {
  if (!a.resume.empty() && cmd.count("--seeds"))
    throw UsageError("--resume continues a population as it was configured; drop --seeds");
  if (!a.resume.empty() && run::is_population_folder(a.resume)) {
    refuse_changes_on_resume(a, cmd, "a population");
    if (cmd.count("--steps") && a.steps <= 0)
      throw UsageError(fmt::format("--steps must be positive, got {}", a.steps));
    return resume_population(a.resume, a, cmd);
  }
  if (cmd.count("--seeds")) return run_new_population(a, cmd);
  if (cmd.count("--seed-folder"))
    throw UsageError("--seed-folder names the run folders of a population's seeds; use it with --seeds");
  if (!a.resume.empty()) {
    refuse_changes_on_resume(a, cmd, "a run");
    const fs::path dir = a.resume;
    config::Config c = run::read_run_config(dir);
    // One process per run folder, from before anything is written until the process ends.
    const FolderLock lock(dir, "run folder");
    remove_interrupted_writes(dir);
    if (cmd.count("--steps")) {
      if (a.steps <= 0) throw UsageError(fmt::format("--steps must be positive, got {}", a.steps));
      c.set("steps", a.steps);
      write_file_atomically(dir / "config.toml", c.to_toml());
    }
    if (!fs::exists(dir / "checkpoint.pt")) {
      throw UsageError(fmt::format(
          "'{}' has no checkpoint.pt to resume from; start the run again with --force", dir.string()));
    }
    const auto options = run::TrainingOptions::read(c);
    const auto device = nn::select_device(options.run.device);
    const auto parts = run::make_imitation(options, envs::make_env(options.run.env)->spec(), device);
    const auto result = run::train(c, dir, true, true, parts.expert.get(), parts.imitation.get());
    return exit_code(result);
  }
  config::Config c = resolve_config(a, cmd);
  if (a.show_config || a.help_config) {
    std::cout << (a.help_config ? annotated_with_requirements(c) : c.to_toml());
    return 0;
  }
  const auto options = run::TrainingOptions::read(c);
  if (a.out.empty()) throw UsageError("credo train needs --out DIR (the run folder to create)");
  // Build the learner and the imitation part once before touching the disk, so a bad config value or bad
  // demonstrations never leave a run folder behind.
  const auto device = nn::select_device(options.run.device);
  auto env = envs::make_env(options.run.env);
  const auto parts = run::make_imitation(options, env->spec(), device);
  rl::make_learner({static_cast<std::int64_t>(env->spec().observation_space.size()),
                    static_cast<std::int64_t>(env->spec().action_space.size()), c, 0, options.run.steps,
                    parts.expert.get(), device});
  const fs::path dir = a.out;
  prepare_run_dir(dir, a.force);
  const FolderLock lock(dir, "run folder");
  write_file_atomically(dir / "config.toml", c.to_toml());
  const auto result = run::train(c, dir, false, true, parts.expert.get(), parts.imitation.get());
  return exit_code(result);
}

struct EvalArgs {
  std::string policy, env, json;
  int episodes = 10;
  std::int64_t seed = 0;
  bool any_env = false;
};

void run_eval(const EvalArgs& a) {
  if (a.episodes <= 0) throw UsageError(fmt::format("--episodes must be positive, got {}", a.episodes));
  if (a.seed < 0) throw UsageError(fmt::format("--seed must be >= 0, got {}", a.seed));
  auto policy = rl::Policy::load(a.policy);
  auto env = envs::make_env(a.env);
  torch::set_num_threads(1);  // one observation at a time: more threads only add synchronisation
  const auto& spec = env->spec();
  if (static_cast<std::int64_t>(spec.observation_space.size()) != policy.head().obs_dim ||
      static_cast<std::int64_t>(spec.action_space.size()) != policy.head().act_dim) {
    throw UsageError(
        fmt::format("policy '{}' was trained on {} (obs {}, act {}) and does not fit {} (obs {}, act {})",
                    a.policy, policy.env_id(), policy.head().obs_dim, policy.head().act_dim, a.env,
                    spec.observation_space.size(), spec.action_space.size()));
  }
  if (policy.env_id() != a.env && !a.any_env) {
    throw UsageError(
        fmt::format("policy '{}' was trained on {}, not {}; pass --env {}, or add --any-env to evaluate "
                    "it on {} anyway",
                    a.policy, policy.env_id(), a.env, policy.env_id(), a.env));
  }
  const auto result = rl::evaluate(
      *env,
      [&](std::span<const double> obs, std::span<float> out) {
        const auto action = policy.act(obs);
        std::copy(action.begin(), action.end(), out.begin());
      },
      a.episodes, static_cast<std::uint64_t>(a.seed));
  std::printf("%s on %s: return %.2f +- %.2f over %d episodes (seeds %lld..%lld)\n", policy.algo().c_str(),
              a.env.c_str(), result.mean(), result.std(), a.episodes, static_cast<long long>(a.seed),
              static_cast<long long>(a.seed + a.episodes - 1));
  if (!a.json.empty()) {
    nlohmann::ordered_json j;
    j["policy"] = a.policy;
    j["env"] = a.env;
    j["episodes"] = a.episodes;
    j["seed"] = a.seed;
    j["return_mean"] = result.mean();
    j["return_std"] = result.std();
    j["returns"] = result.returns;
    j["lengths"] = result.lengths;
    write_file_atomically(a.json, j.dump(2) + "\n");
  }
}

}  // namespace

void add_train_commands(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* train =
      app.add_subcommand("train", "Train a policy learner on an env (true reward), into a run folder");
  train->add_option("--algo", args->algo,
                    "learner: " + fmt::format("{}", fmt::join(config::known_algos(), ", ")));
  train->add_option("--env", args->env, "env id (see `credo env list`)");
  train->add_option("--steps", args->steps, "environment steps to train for");
  train->add_option("--seed", args->seed, "random seed (default 0)");
  train->add_option(
      "--seeds", args->seeds,
      "train these seeds as one population in one process (td3, ddpg, sd3, sac, tssg), e.g. 1-8 or 1,3,5; "
      "--out DIR then holds DIR/seed-N per seed");
  train->add_option("--seed-folder", args->seed_folder,
                    "with --seeds: each seed's run folder, relative to --out, {seed} standing for the seed "
                    "(default seed-{seed})");
  train->add_option("--device", args->device, "where the networks learn: cpu (default), cuda or cuda:N");
  train->add_option("--out", args->out, "run folder to create");
  train->add_option("--config", args->config_file, "TOML file of config keys to override the defaults");
  train->add_option("--preset", args->preset,
                    "a named set of keys applied on the defaults: " +
                        fmt::format("{}", fmt::join(config::known_presets(), ", ")) + ", or a .toml file");
  train->add_flag("--force", args->force, "start over in an existing run folder (deletes it)");
  train->add_option("--resume", args->resume, "continue the run in this folder from its last checkpoint");
  train->add_option("--demos", args->demos,
                    "imitate these demonstrations (.h5, .npz, Minari folder or minari:ID) with GAIL; the env "
                    "reward then only evaluates");
  train->add_option("--reward", args->reward, "imitation reward: gail, airl or logd (default gail)");
  train->add_option(
      "--clip", args->clip,
      "CREDO: clip the imitation reward at this value, off, or auto (an adaptive threshold; default off)");
  train->add_flag("--show-config", args->show_config, "print the resolved config and exit");
  train->add_flag("--help-config", args->help_config,
                  "print the resolved config with what each key means (as TOML comments) and exit");
  train->add_option("overrides", args->overrides, "config overrides, key=value");
  train->callback([args, train] {
    const int code = run_train(*args, *train);
    if (code != 0) throw CLI::RuntimeError(code);
  });

  auto eargs = std::make_shared<EvalArgs>();
  auto* eval = app.add_subcommand("eval", "Evaluate a policy file: mean and std of the true return");
  eval->add_option("--policy", eargs->policy, "policy file (final_policy.pt of a run)")->required();
  eval->add_option("--env", eargs->env, "env id")->required();
  eval->add_option("--episodes", eargs->episodes, "episodes (default 10)");
  eval->add_option("--seed", eargs->seed, "seed of the first episode; episode k uses seed + k (default 0)");
  eval->add_option("--json", eargs->json, "also write return_mean, return_std and the returns to this file");
  eval->add_flag("--any-env", eargs->any_env,
                 "evaluate on --env even if the policy was trained on another env of "
                 "the same sizes");
  eval->callback([eargs] { run_eval(*eargs); });
}

}  // namespace credo::cli
