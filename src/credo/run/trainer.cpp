#include "credo/run/trainer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "credo/core/atomic_file.h"
#include "credo/core/duration.h"
#include "credo/core/error.h"
#include "credo/core/stop_signal.h"
#include "credo/envs/registry.h"
#include "credo/demos/expert_transitions.h"
#include "credo/gail/imitation.h"
#include "credo/nn/archive.h"
#include "credo/rl/evaluation.h"
#include "credo/rl/learner.h"
#include "credo/rl/policy_file.h"
#include "credo/telemetry/collapse_detector.h"
#include "credo/telemetry/explosion_monitor.h"
#include "credo/telemetry/metrics_writer.h"
#include "credo/telemetry/tensorboard_writer.h"
#include "credo/version.h"

namespace credo::run {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// Everything about the run's progress that a checkpoint keeps besides the learner.
struct Progress {
  std::int64_t step = 0;
  std::int64_t episodes = 0;
  double wall_time_s = 0.0;  // training time of all sessions of this run
  double last_eval_mean = kNaN, last_eval_std = kNaN, best_eval_mean = kNaN;
};

// Evaluations of a run: every eval_interval steps and at the last step.
std::int64_t evaluations_of(const config::Config& c) {
  return (c.get_int("steps") + c.get_int("eval_interval") - 1) / c.get_int("eval_interval");
}

// Evaluations in a row below half the best that make a collapse (docs/telemetry.md): collapse_window, or with
// 0, kDefaultCollapseWindow capped at the run's evaluations.
constexpr std::int64_t kDefaultCollapseWindow = 3;
int collapse_window_of(const config::Config& c) {
  const auto window = c.get_int("collapse_window");
  return static_cast<int>(window > 0 ? window : std::min(kDefaultCollapseWindow, evaluations_of(c)));
}

}  // namespace

void validate_run_config(const config::Config& c) {
  for (const char* key :
       {"steps", "eval_interval", "eval_episodes", "log_interval", "checkpoint_interval", "threads"}) {
    if (c.get_int(key) <= 0) {
      throw UsageError(
          fmt::format("config key '{}' must be a positive integer, got {}", key, c.get_int(key)));
    }
  }
  const auto on_divergence = c.get_string("on_divergence");
  if (on_divergence != "stop" && on_divergence != "continue") {
    throw UsageError(
        fmt::format("config key 'on_divergence' must be 'stop' or 'continue', got '{}'", on_divergence));
  }
  if (!(c.get_double("explosion_threshold") > 0) || !(c.get_double("explosion_factor") > 1) ||
      !(c.get_double("q_bound") > 0) || c.get_int("explosion_window") <= 0) {
    throw UsageError(
        "config keys explosion_threshold and q_bound must be positive, explosion_factor above 1 "
        "and explosion_window a positive integer");
  }
  // Adversarial imitation's discriminator and reward (configs/imitation.toml), checked on every run so that a
  // sweep rejects them before anything starts.
  const auto gp = c.get_double("gradient_penalty");
  if (!(gp >= 0.0 && std::isfinite(gp))) {
    throw UsageError(fmt::format("config key 'gradient_penalty' must be 0 (off) or positive, got {}", gp));
  }
  for (const char* key : {"disc_lr", "reward_scale"}) {
    const auto v = c.get_double(key);
    if (!(v > 0.0 && std::isfinite(v))) {
      throw UsageError(fmt::format("config key '{}' must be a positive number, got {}", key, v));
    }
  }
  for (const auto width : c.get_ints("disc_hidden")) {
    if (width <= 0) {
      throw UsageError(
          fmt::format("config key 'disc_hidden' needs positive layer widths (like 256,256), got {}", width));
    }
  }
  if (c.get_int("disc_start") < 0) {
    throw UsageError(fmt::format("config key 'disc_start' must be >= 0, got {}", c.get_int("disc_start")));
  }
  const auto window = c.get_int("collapse_window");
  if (window < 0 || window > evaluations_of(c)) {
    throw UsageError(fmt::format(
        "config key 'collapse_window' must be 0 (the default window) or 1 to the run's {} evaluations "
        "(steps / eval_interval), got {}",
        evaluations_of(c), window));
  }
  if (c.get_int("eval_interval") % c.get_int("log_interval") != 0) {
    throw UsageError(fmt::format("config key 'eval_interval' ({}) must be a multiple of 'log_interval' ({})",
                                 c.get_int("eval_interval"), c.get_int("log_interval")));
  }
}

TrainResult train(const config::Config& config, const std::filesystem::path& run_dir, bool resume,
                  bool progress, const demos::ExpertTransitions* expert, gail::Imitation* imitation) {
  const std::string env_id = config.get_string("env");
  const std::string algo = config.get_string("algo");
  const auto seed = static_cast<std::uint64_t>(config.get_int("seed"));
  const std::int64_t total_steps = config.get_int("steps");
  const std::int64_t log_interval = config.get_int("log_interval");
  const std::int64_t eval_interval = config.get_int("eval_interval");
  const std::int64_t checkpoint_interval = config.get_int("checkpoint_interval");
  const int eval_episodes = static_cast<int>(config.get_int("eval_episodes"));
  const double stop_at_return = config.get_double("stop_at_return");
  bool reached_target = false;
  const std::uint64_t eval_seed = seed + 1'000'000;  // evaluation episodes never share the training seeds

  torch::set_num_threads(static_cast<int>(config.get_int("threads")));
  torch::manual_seed(seed);  // initial weights; every later draw comes from the learner's own Rng
  auto env = envs::make_env(env_id);
  auto eval_env = envs::make_env(env_id);
  const auto& spec = env->spec();
  const auto& low = spec.action_space.low;
  const auto& high = spec.action_space.high;

  rl::LearnerContext context{static_cast<std::int64_t>(spec.observation_space.size()),
                         static_cast<std::int64_t>(spec.action_space.size()), config, seed, total_steps,
                         expert};
  auto learner = rl::make_learner(context);
  if (imitation) learner->set_reward_source(imitation->reward_source());
  const auto on_divergence = config.get_string("on_divergence");

  Progress p;
  std::map<std::string, double> monitor_state;
  const auto checkpoint_path = run_dir / "checkpoint.pt";
  if (resume) {
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(checkpoint_path.string());
      if (nn::read_string(archive, "algo") != algo || nn::read_string(archive, "env") != env_id) {
        throw std::runtime_error("made for another algo or env");
      }
      p.step = nn::read_int(archive, "step");
      p.episodes = nn::read_int(archive, "episodes");
      p.wall_time_s = nn::read_double(archive, "wall_time_s");
      p.last_eval_mean = nn::read_double(archive, "last_eval_mean");
      p.last_eval_std = nn::read_double(archive, "last_eval_std");
      p.best_eval_mean = nn::read_double(archive, "best_eval_mean");
      torch::serialize::InputArchive learner_archive;
      archive.read("learner", learner_archive);
      learner->load(learner_archive);
      if (imitation) {
        torch::serialize::InputArchive imitation_archive;
        archive.read("imitation", imitation_archive);
        imitation->load(imitation_archive);
      }
      c10::IValue telemetry;
      archive.read("telemetry", telemetry);
      for (const auto& item : telemetry.toGenericDict()) {
        monitor_state[item.key().toStringRef()] = item.value().toDouble();
      }
    } catch (const std::exception& e) {
      std::string what = e.what();
      throw UsageError(fmt::format("cannot resume from {}: {}", checkpoint_path.string(),
                                   what.substr(0, what.find('\n'))));
    }
  }

  // Metrics columns: run progress, then the learner's statistics.
  std::vector<std::string> columns = {"step",           "episodes",    "episode_return",
                                      "episode_length", "eval_return", "eval_return_std"};
  for (const auto& name : learner->stats().names()) columns.push_back(name);
  if (expert) columns.emplace_back("eval_return_normalized");
  if (imitation) {
    for (const auto& name : imitation->stats().names()) columns.push_back(name);
  }
  for (const char* name : {"explosions", "updates", "sps", "wall_time_s"}) columns.emplace_back(name);
  telemetry::MetricsWriter metrics(run_dir / "metrics.csv", columns, resume ? p.step : -1);

  // The same rows for TensorBoard, and the resolved config as text (a new event file per session of the run).
  telemetry::TensorBoardWriter tensorboard(run_dir, resume ? p.step : -1);
  tensorboard.add_text("config", "```\n" + config.to_toml() + "```", p.step);

  // Telemetry: every value each update reports goes through the explosion monitor.
  telemetry::ExplosionMonitor monitor(config, run_dir / "events.csv", resume ? p.step : -1);
  monitor.restore(monitor_state);
  const auto watch = [&monitor](const std::string& name, double value) { monitor.observe(name, value); };
  learner->stats().set_listener(watch);
  if (imitation) imitation->stats().set_listener(watch);
  // Normalised return (D4RL's convention): 0 for a uniformly random policy, 1 for the demonstrations' expert.
  // The random policy's returns also place the collapse detector's scale on runs without demonstrations.
  double random_return = kNaN;
  std::optional<telemetry::CollapseDetector> collapse;

  const auto write_summary = [&](const std::string& status, double final_mean, double final_std,
                                 const std::vector<double>& final_returns) {
    nlohmann::ordered_json s;
    s["env"] = env_id;
    s["algo"] = algo;
    s["seed"] = seed;
    s["steps"] = p.step;
    s["total_steps"] = total_steps;
    s["status"] = status;
    s["stopped_at_return"] = reached_target;
    s["final_eval_return_mean"] = finite_or_null(final_mean);
    s["final_eval_return_std"] = finite_or_null(final_std);
    s["final_eval_returns"] = final_returns;
    s["last_eval_return_mean"] = finite_or_null(p.last_eval_mean);
    s["best_eval_return_mean"] = finite_or_null(p.best_eval_mean);
    s["episodes"] = p.episodes;
    s["updates"] = learner->updates();
    s["wall_time_s"] = p.wall_time_s;
    s["explosion_count"] = monitor.explosions();
    s["first_explosion_step"] = monitor.first_explosion_step() >= 0
                                    ? nlohmann::json(monitor.first_explosion_step())
                                    : nlohmann::json();
    s["max_grad_norm_critic"] = finite_or_null(monitor.max_grad_norm("grad_norm_critic"));
    s["max_grad_norm_actor"] = finite_or_null(monitor.max_grad_norm("grad_norm_actor"));
    if (imitation) s["max_grad_norm_disc"] = finite_or_null(monitor.max_grad_norm("grad_norm_disc"));
    s["random_return"] = finite_or_null(random_return);
    if (expert) {
      s["expert_return"] = finite_or_null(expert->expert_return);
      s["expert_transitions"] = expert->rows();
    }
    if (collapse) {
      s["collapsed"] = collapse->collapsed();
      s["collapse_step"] = collapse->collapsed() ? nlohmann::json(collapse->fall_step()) : nlohmann::json();
      s["collapse_events"] = collapse->collapses();
    }
    if (monitor.diverged()) {
      s["diverged_at_step"] = monitor.diverged_at();
      s["divergence"] = monitor.divergence_reason();
    }
    s["env_steps_per_s"] =
        finite_or_null(p.wall_time_s > 0 ? static_cast<double>(p.step) / p.wall_time_s : kNaN);
    s["threads"] = config.get_int("threads");
    s["credo_version"] = CREDO_VERSION;
    write_file_atomically(run_dir / "summary.json", s.dump(2) + "\n");
  };
  const auto save_checkpoint = [&] {
    torch::serialize::OutputArchive archive;
    nn::write_value(archive, "algo", algo);
    nn::write_value(archive, "env", env_id);
    nn::write_value(archive, "step", p.step);
    nn::write_value(archive, "episodes", p.episodes);
    nn::write_value(archive, "wall_time_s", p.wall_time_s);
    nn::write_value(archive, "last_eval_mean", p.last_eval_mean);
    nn::write_value(archive, "last_eval_std", p.last_eval_std);
    nn::write_value(archive, "best_eval_mean", p.best_eval_mean);
    torch::serialize::OutputArchive learner_archive;
    learner->save(learner_archive);
    archive.write("learner", learner_archive);
    if (imitation) {
      torch::serialize::OutputArchive imitation_archive;
      imitation->save(imitation_archive);
      archive.write("imitation", imitation_archive);
    }
    c10::Dict<std::string, double> telemetry;
    for (const auto& [key, value] : monitor.state()) telemetry.insert(key, value);
    nn::write_value(archive, "telemetry", telemetry);
    std::ostringstream bytes;
    archive.save_to(bytes);
    write_file_atomically(checkpoint_path, bytes.str());
  };
  const auto save_policy_as = [&](const char* name) {
    rl::save_policy_file(run_dir / name, env_id, algo, low, high,
                     [&](torch::serialize::OutputArchive& a) { learner->save_policy(a); });
  };
  std::vector<float> normalized(low.size()), env_action(low.size());
  const auto run_evaluation = [&](int episodes) {
    return rl::evaluate(
        *eval_env,
        [&](std::span<const double> obs, std::span<float> out) {
          learner->act(obs, false, normalized);
          rl::to_env_action(normalized, low, high, out);
        },
        episodes, eval_seed);
  };

  {  // a uniformly random policy's returns, for the normalised return and the collapse detector
    Rng random_policy(seed + 3'000'000);
    const auto random_eval = rl::evaluate(
        *eval_env,
        [&](std::span<const double>, std::span<float> out) {
          for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<float>(random_policy.uniform(low[i], high[i]));
          }
        },
        eval_episodes, eval_seed);
    random_return = random_eval.mean();
    collapse.emplace(collapse_window_of(config), random_return, random_eval.std(),
                     expert ? std::optional<double>(expert->expert_return) : std::nullopt);
    // A resumed run replays its evaluations so far (events.csv already holds their events).
    if (resume) {
      for (const auto& [step, value] : telemetry::read_metrics_column(run_dir / "metrics.csv", "eval_return", p.step)) {
        collapse->observe(step, value);
      }
    }
  }
  const auto normalized_return = [&](double r) {
    return expert ? (r - random_return) / (expert->expert_return - random_return) : kNaN;
  };
  write_summary("running", kNaN, kNaN, {});
  install_stop_handlers();

  // A resumed run starts a fresh episode (the env's mid-episode state is not checkpointed).
  env->reset(seed + static_cast<std::uint64_t>(p.step));
  std::vector<double> obs(env->observation().begin(), env->observation().end());
  double episode_return = 0.0;
  int episode_length = 0;
  double interval_return_sum = 0.0, interval_length_sum = 0.0;
  int interval_episodes = 0;
  const std::int64_t start_step = p.step;
  auto interval_start = Clock::now();
  std::int64_t interval_start_step = p.step;
  const auto session_start = Clock::now();
  const double wall_before = p.wall_time_s;
  auto last_progress = Clock::now();
  const bool tty = progress && isatty(fileno(stderr));
  double recent_sps =
      0.0;  // of the last logging interval: the ETA follows the current pace, not the random start's
  rl::EvalResult last_eval;
  std::int64_t last_eval_step = -1;

  // One env step of the learner (and the imitation around it).
  const auto env_step = [&] {
    learner->act(obs, true, normalized);
    rl::to_env_action(normalized, low, high, env_action);
    const auto result = env->step(std::span<const float>(env_action));
    const auto next_obs = env->observation();
    learner->observe({obs, normalized, result.reward, next_obs, result.terminated, result.truncated});
    if (imitation) {
      imitation->observe(obs, normalized, result.terminated);
      imitation->after_step(p.step + 1);
    }
    episode_return += result.reward;
    ++episode_length;
    if (result.terminated || result.truncated) {
      interval_return_sum += episode_return;
      interval_length_sum += episode_length;
      ++interval_episodes;
      ++p.episodes;
      episode_return = 0.0;
      episode_length = 0;
      env->reset();
    }
    obs.assign(env->observation().begin(), env->observation().end());
  };
  // Each evaluation goes through the collapse detector: its events go to events.csv, its state to TensorBoard.
  const auto observe_collapse = [&](double eval_mean) {
    const auto change = collapse->observe(p.step, eval_mean);
    if (change == telemetry::CollapseDetector::Change::kCollapse) {
      monitor.record_event(collapse->fall_step(), "collapse", "eval_return_normalized",
                           collapse->normalized(eval_mean), collapse->threshold());
      std::printf("%s: the evaluation return has stayed below half its best since step %lld (a collapse)\n",
                  algo.c_str(), static_cast<long long>(collapse->fall_step()));
    } else if (change == telemetry::CollapseDetector::Change::kRecovery) {
      monitor.record_event(p.step, "recovery", "eval_return_normalized", collapse->normalized(eval_mean),
                           collapse->threshold());
    }
    tensorboard.add_scalars(p.step, {"collapsed"}, {collapse->collapsed() ? 1.0 : 0.0});
  };
  // An offline learner (bc) counts gradient steps; the env only evaluates.
  const bool offline = learner->offline();

  while (p.step < total_steps && !stop_requested()) {
    monitor.set_step(p.step + 1);
    if (offline) {
      learner->offline_update();
    } else {
      env_step();
    }
    ++p.step;
    p.wall_time_s = wall_before + std::chrono::duration<double>(Clock::now() - session_start).count();

    if (p.step % log_interval == 0 || p.step == total_steps) {
      double eval_mean = kNaN, eval_std = kNaN;
      if (p.step % eval_interval == 0 || p.step == total_steps) {
        const auto e = run_evaluation(eval_episodes);
        last_eval = e;
        last_eval_step = p.step;
        eval_mean = p.last_eval_mean = e.mean();
        eval_std = p.last_eval_std = e.std();
        if (!(p.best_eval_mean >= eval_mean)) {
          p.best_eval_mean = eval_mean;
          // Returns of off-policy learners swing between evaluations; the best policy so far is kept apart.
          save_policy_as("best_policy.pt");
        }
        reached_target = eval_mean >= stop_at_return;
        observe_collapse(eval_mean);
      }
      const auto now = Clock::now();
      const double sps = static_cast<double>(p.step - interval_start_step) /
                         std::max(1e-9, std::chrono::duration<double>(now - interval_start).count());
      std::vector<double> row = {static_cast<double>(p.step),
                                 static_cast<double>(p.episodes),
                                 interval_episodes ? interval_return_sum / interval_episodes : kNaN,
                                 interval_episodes ? interval_length_sum / interval_episodes : kNaN,
                                 eval_mean,
                                 eval_std};
      for (const auto& [name, value] : learner->stats().take()) row.push_back(value);
      if (expert) row.push_back(normalized_return(eval_mean));
      if (imitation) {
        for (const auto& [name, value] : imitation->stats().take()) row.push_back(value);
      }
      // Parameters are checked for non-finite values once per row (cheap next to the updates in between).
      if (!monitor.diverged()) {
        for (const auto& [module_name, module] : learner->modules()) {
          for (const auto& param : module->named_parameters()) {
            if (!torch::isfinite(param.value()).all().item<bool>()) {
              monitor.report_divergence(module_name + "." + param.key(), kNaN);
              break;
            }
          }
        }
      }
      row.push_back(static_cast<double>(monitor.explosions()));
      row.push_back(static_cast<double>(learner->updates()));
      row.push_back(sps);
      row.push_back(p.wall_time_s);
      metrics.write_row(row);
      tensorboard.add_scalars(p.step, columns, row);
      interval_return_sum = interval_length_sum = 0.0;
      interval_episodes = 0;
      interval_start = now;
      interval_start_step = p.step;
      recent_sps = sps;
      if (std::isfinite(eval_mean)) {
        std::printf("%s%s step %lld/%lld  eval_return %.1f +- %.1f  %.0f steps/s  ETA %s\n",
                    tty ? "\r\033[K" : "", algo.c_str(), static_cast<long long>(p.step),
                    static_cast<long long>(total_steps), eval_mean, eval_std, sps,
                    format_duration(static_cast<double>(total_steps - p.step) / sps).c_str());
        std::fflush(stdout);
      }
    }
    if (reached_target) break;
    if (monitor.diverged() && on_divergence == "stop") break;
    if (p.step % checkpoint_interval == 0 && p.step < total_steps) save_checkpoint();
    if (tty && Clock::now() - last_progress > std::chrono::milliseconds(500)) {
      last_progress = Clock::now();
      const double session_sps =
          recent_sps > 0
              ? recent_sps
              : static_cast<double>(p.step - start_step) /
                    std::max(1e-9, std::chrono::duration<double>(last_progress - session_start).count());
      std::fprintf(stderr, "\r\033[K%s %s  %lld/%lld (%.0f%%)  %.0f steps/s  ETA %s  last eval %s",
                   algo.c_str(), env_id.c_str(), static_cast<long long>(p.step),
                   static_cast<long long>(total_steps),
                   100.0 * static_cast<double>(p.step) / static_cast<double>(total_steps), session_sps,
                   format_duration(static_cast<double>(total_steps - p.step) / session_sps).c_str(),
                   std::isfinite(p.last_eval_mean) ? fmt::format("{:.1f}", p.last_eval_mean).c_str() : "-");
    }
  }
  if (tty) std::fprintf(stderr, "\r\033[K");

  if (monitor.diverged() && on_divergence == "stop") {
    // The networks hold non-finite or runaway values: the last checkpoint, best_policy.pt and every row of
    // metrics.csv stay as they were, and the summary says where it went wrong.
    write_summary("diverged", kNaN, kNaN, {});
    std::printf("%s: diverged at step %lld (%s); files so far kept in %s\n", algo.c_str(),
                static_cast<long long>(monitor.diverged_at()), monitor.divergence_reason().c_str(),
                run_dir.string().c_str());
    return {"diverged", 0};
  }
  save_checkpoint();
  save_policy_as("final_policy.pt");
  if (stop_requested()) {
    write_summary("interrupted", kNaN, kNaN, {});
    std::printf("%s: interrupted at step %lld; checkpoint saved, continue with `credo train --resume %s`\n",
                algo.c_str(), static_cast<long long>(p.step), run_dir.string().c_str());
    return {"interrupted", stop_signal()};
  }
  // The final evaluation is the one at the last step (same episodes), or a new one when the run resumed
  // there.
  const auto final_eval = last_eval_step == p.step ? last_eval : run_evaluation(eval_episodes);
  write_summary("finished", final_eval.mean(), final_eval.std(), final_eval.returns);
  if (reached_target) {
    std::printf("%s: evaluation return reached stop_at_return = %g at step %lld\n", algo.c_str(),
                stop_at_return, static_cast<long long>(p.step));
  }
  std::printf("%s on %s: finished %lld steps in %s; final eval return %.1f +- %.1f over %d episodes\n",
              algo.c_str(), env_id.c_str(), static_cast<long long>(p.step),
              format_duration(p.wall_time_s).c_str(), final_eval.mean(), final_eval.std(), eval_episodes);
  if (collapse->collapsed()) {
    std::printf("%s: ended collapsed: its evaluation return fell below half its best at step %lld and stayed "
                "there (docs/telemetry.md)\n",
                algo.c_str(), static_cast<long long>(collapse->fall_step()));
  }
  return {"finished", 0};
}

}  // namespace credo::run
