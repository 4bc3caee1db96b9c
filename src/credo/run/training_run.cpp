#include "credo/run/training_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "credo/core/atomic_file.h"
#include "credo/core/duration.h"
#include "credo/core/error.h"
#include "credo/core/rng.h"
#include "credo/core/stop_signal.h"
#include "credo/core/zip_checksums.h"
#include "credo/demos/expert_transitions.h"
#include "credo/envs/registry.h"
#include "credo/gail/imitation.h"
#include "credo/nn/archive.h"
#include "credo/nn/device.h"
#include "credo/rl/policy_file.h"
#include "credo/run/episode_checkpoint.h"
#include "credo/version.h"

namespace credo::run {

namespace {

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

TrainingRun::TrainingRun(const config::Config& config, std::filesystem::path run_dir, bool resume,
                         bool progress, const demos::ExpertTransitions* expert, gail::Imitation* imitation,
                         PopulationSeat* seat)
    : config_(config),
      options_(TrainingOptions::read(config)),
      run_dir_(std::move(run_dir)),
      resume_(resume),
      progress_(progress),
      expert_(expert),
      imitation_(imitation),
      env_id_(options_.run.env),
      algo_(options_.learner.algo),
      stop_on_divergence_(options_.run.stop_on_divergence),
      seed_(options_.run.seed),
      eval_seed_(seed_ + 1'000'000),  // evaluation episodes never share the training seeds
      total_steps_(options_.run.steps),
      log_interval_(options_.run.log_interval),
      eval_interval_(options_.run.eval_interval),
      checkpoint_interval_(options_.run.checkpoint_interval),
      eval_episodes_(static_cast<int>(options_.run.eval_episodes)),
      stop_at_return_(options_.run.stop_at_return),
      seat_(seat),
      label_(seat ? fmt::format("{} seed {}", algo_, seed_) : algo_),
      random_return_(kNaN) {
  torch::set_num_threads(options_.run.threads);
  torch::manual_seed(seed_);  // initial weights; every later draw comes from the learner's own Rng
  env_ = envs::make_env(env_id_);
  eval_env_ = envs::make_env(env_id_);
  const auto& spec = env_->spec();
  rl::LearnerContext context{static_cast<std::int64_t>(spec.observation_space.size()),
                             static_cast<std::int64_t>(spec.action_space.size()),
                             config,
                             seed_,
                             total_steps_,
                             expert,
                             nn::select_device(options_.run.device)};
  if (seat_) {
    learner_ = &seat_->learner();
  } else {
    own_learner_ = rl::make_learner(context);
    learner_ = own_learner_.get();
  }
  if (imitation_) learner_->set_reward_source(imitation_->reward_source());
  normalized_.resize(spec.action_space.size());
  env_action_.resize(spec.action_space.size());
  const auto monitor_state = resume_ ? restore_checkpoint() : telemetry::ExplosionMonitor::State{};
  open_telemetry(monitor_state);
  measure_random_policy();
}

// Reads checkpoint.pt into the progress, the learner and the imitation; gives the explosion monitor's state.
telemetry::ExplosionMonitor::State TrainingRun::restore_checkpoint() {
  telemetry::ExplosionMonitor::State monitor_state;
  const auto path = run_dir_ / "checkpoint.pt";
  try {
    verify_zip_checksums(path);
    torch::serialize::InputArchive archive;
    archive.load_from(path.string(), torch::kCPU);  // written on any device, read anywhere
    if (nn::read_string(archive, "algo") != algo_ || nn::read_string(archive, "env") != env_id_) {
      throw std::runtime_error("made for another algo or env");
    }
    p_.step = nn::read_int(archive, "step");
    p_.episodes = nn::read_int(archive, "episodes");
    p_.wall_time_s = nn::read_double(archive, "wall_time_s");
    p_.last_eval_mean = nn::read_double(archive, "last_eval_mean");
    p_.last_eval_std = nn::read_double(archive, "last_eval_std");
    p_.best_eval_mean = nn::read_double(archive, "best_eval_mean");
    torch::serialize::InputArchive learner_archive;
    archive.read("learner", learner_archive);
    learner_->load(learner_archive);
    if (imitation_) {
      torch::serialize::InputArchive imitation_archive;
      archive.read("imitation", imitation_archive);
      imitation_->load(imitation_archive);
    }
    if (!learner_->offline()) resumed_episode_ = EpisodeCheckpoint::load(archive);
    restore_row_stats(archive);
    c10::IValue telemetry;
    archive.read("telemetry", telemetry);
    for (const auto& item : telemetry.toGenericDict()) {
      monitor_state.counters[item.key().toStringRef()] = item.value().toDouble();
    }
    c10::IValue windows;  // absent from checkpoints written before 2026-12-06
    if (archive.try_read("telemetry_windows", windows)) {
      for (const auto& item : windows.toGenericDict()) {
        monitor_state.windows[item.key().toStringRef()] = item.value().toDoubleVector();
      }
    }
  } catch (const std::exception& e) {
    std::string what = e.what();
    throw UsageError(
        fmt::format("cannot resume from {}: {}", path.string(), what.substr(0, what.find('\n'))));
  }
  std::printf("%s: resuming from the checkpoint at step %lld of %lld\n", label_.c_str(),
              static_cast<long long>(p_.step), static_cast<long long>(total_steps_));
  std::fflush(stdout);  // seen at once in a log file or a pipe
  return monitor_state;
}

// Metrics columns: run progress, then the learner's statistics, the imitation's, and the run's counters.
std::vector<std::string> TrainingRun::metric_columns() const {
  std::vector<std::string> columns = {"step",           "episodes",    "episode_return",
                                      "episode_length", "eval_return", "eval_return_std"};
  if (evaluates_target_actor()) columns.emplace_back("eval_return_actor");
  for (const auto& name : learner_->stats().names()) columns.push_back(name);
  if (expert_) columns.emplace_back("eval_return_normalized");
  if (imitation_) {
    for (const auto& name : imitation_->stats().names()) columns.push_back(name);
  }
  for (const char* name : {"explosions", "updates", "sps", "wall_time_s"}) columns.emplace_back(name);
  return columns;
}

// metrics.csv, TensorBoard (with the resolved config as text; a new event file per session of the run) and
// events.csv, all cut back to the checkpoint's step on resume; every value an update reports goes through the
// explosion monitor.
void TrainingRun::open_telemetry(const telemetry::ExplosionMonitor::State& monitor_state) {
  const std::int64_t resume_step = resume_ ? p_.step : -1;
  columns_ = metric_columns();
  metrics_.emplace(run_dir_ / "metrics.csv", columns_, resume_step);
  tensorboard_.emplace(run_dir_, resume_step);
  tensorboard_->add_text("config", "```\n" + config_.to_toml() + "```", p_.step);
  monitor_.emplace(options_.explosion, run_dir_ / "events.csv", resume_step);
  monitor_->restore(monitor_state);
  const auto watch = [this](const std::string& name, double value) { monitor_->observe(name, value); };
  learner_->stats().set_listener(watch);
  if (imitation_) imitation_->stats().set_listener(watch);
}

// A uniformly random policy's returns: 0 of the normalised return (D4RL's convention; the demonstrations'
// expert is 1), and the scale of the collapse detector on runs without demonstrations. A resumed run replays
// its evaluations so far into the detector (events.csv already holds their events).
void TrainingRun::measure_random_policy() {
  const auto& spec = eval_env_->spec();
  Rng random_policy(seed_ + 3'000'000);
  const auto random_eval = rl::evaluate(
      *eval_env_,
      [&](std::span<const double>, std::span<float> out) {
        for (std::size_t i = 0; i < out.size(); ++i) {
          out[i] =
              static_cast<float>(random_policy.uniform(spec.action_space.low[i], spec.action_space.high[i]));
        }
      },
      eval_episodes_, eval_seed_);
  random_return_ = random_eval.mean();
  collapse_.emplace(options_.run.collapse_window, random_return_, random_eval.std(),
                    expert_ ? std::optional<double>(expert_->expert_return) : std::nullopt);
  if (resume_) {
    for (const auto& [step, value] :
         telemetry::read_metrics_column(run_dir_ / "metrics.csv", "eval_return", p_.step)) {
      collapse_->observe(step, value);
    }
  }
}

double TrainingRun::normalized_return(double r) const {
  return expert_ ? (r - random_return_) / (expert_->expert_return - random_return_) : kNaN;
}

rl::EvalResult TrainingRun::evaluate_policy(int episodes) {
  const auto& spec = eval_env_->spec();
  return rl::evaluate(
      *eval_env_,
      [&](std::span<const double> obs, std::span<float> out) {
        learner_->act(obs, false, normalized_);
        rl::to_env_action(normalized_, spec.action_space.low, spec.action_space.high, out);
      },
      episodes, eval_seed_);
}

// One env step of the learner (and the imitation around it).
void TrainingRun::env_step() {
  const auto& spec = env_->spec();
  const auto start = Clock::now();
  learner_->act(obs_, true, normalized_);
  const auto acted = Clock::now();
  rl::to_env_action(normalized_, spec.action_space.low, spec.action_space.high, env_action_);
  const auto result = env_->step(std::span<const float>(env_action_));
  const auto next_obs = env_->observation();
  const auto stepped = Clock::now();
  const rl::Transition transition{obs_,     normalized_,       result.reward,
                                  next_obs, result.terminated, result.truncated};
  if (imitation_) {
    imitation_->observe(obs_, normalized_, result.terminated);
    imitation_->step(p_.step + 1, [&] {
      learner_->observe(transition);
      if (seat_) seat_->stepped();  // the population's update, before this step's discriminator round
    });
    imitation_->stats().flush();  // the rewards' statistics, read once per step (update_stats.h)
  } else {
    learner_->observe(transition);
    if (seat_) seat_->stepped();
  }
  time_split_.act += seconds_between(start, acted);
  time_split_.env += seconds_between(acted, stepped);
  time_split_.learn += seconds_between(stepped, Clock::now());
  episode_return_ += result.reward;
  ++episode_length_;
  if (result.terminated || result.truncated) {
    interval_.return_sum += episode_return_;
    interval_.length_sum += episode_length_;
    ++interval_.episodes;
    ++p_.episodes;
    episode_return_ = 0.0;
    episode_length_ = 0;
    env_->reset();
  }
  obs_.assign(env_->observation().begin(), env_->observation().end());
}

// The checkpoint's episode in progress, where the interrupted session left it.
void TrainingRun::continue_episode(const EpisodeCheckpoint& e) {
  try {
    env_->restore(e.env);
  } catch (const std::invalid_argument& error) {
    throw UsageError(
        fmt::format("cannot resume from {}: {}", (run_dir_ / "checkpoint.pt").string(), error.what()));
  }
  episode_return_ = e.episode_return;
  episode_length_ = static_cast<int>(e.episode_length);
  interval_.return_sum = e.row_return_sum;
  interval_.length_sum = e.row_length_sum;
  interval_.episodes = static_cast<int>(e.row_episodes);
}

// With eval_actor = "target" the online actor is evaluated too, on the same episodes, so that every run
// measures what the averaged actor changes.
void TrainingRun::evaluate_online_actor() {
  learner_->set_eval_actor(rl::Learner::EvalActor::kActor);
  last_actor_eval_mean_ = evaluate_policy(eval_episodes_).mean();
  learner_->set_eval_actor(rl::Learner::EvalActor::kTarget);
}

void TrainingRun::evaluate_now(double& mean, double& std) {
  if (evaluates_target_actor()) evaluate_online_actor();
  last_eval_ = evaluate_policy(eval_episodes_);
  last_eval_step_ = p_.step;
  mean = p_.last_eval_mean = last_eval_.mean();
  std = p_.last_eval_std = last_eval_.std();
  if (!(p_.best_eval_mean >= mean)) {
    p_.best_eval_mean = mean;
    // Returns of off-policy learners swing between evaluations; the best policy so far is kept apart.
    save_policy_as("best_policy.pt");
  }
  reached_target_ = mean >= stop_at_return_;
  observe_collapse(mean);
}

// Each evaluation goes through the collapse detector: its events go to events.csv, its state to TensorBoard.
void TrainingRun::observe_collapse(double eval_mean) {
  const auto change = collapse_->observe(p_.step, eval_mean);
  if (change == telemetry::CollapseDetector::Change::kCollapse) {
    monitor_->record_event(collapse_->fall_step(), "collapse", "eval_return_normalized",
                           collapse_->normalized(eval_mean), collapse_->threshold());
    std::printf("%s: the evaluation return has stayed below half its best since step %lld (a collapse)\n",
                label_.c_str(), static_cast<long long>(collapse_->fall_step()));
  } else if (change == telemetry::CollapseDetector::Change::kRecovery) {
    monitor_->record_event(p_.step, "recovery", "eval_return_normalized", collapse_->normalized(eval_mean),
                           collapse_->threshold());
  }
  tensorboard_->add_scalars(p_.step, {"collapsed"}, {collapse_->collapsed() ? 1.0 : 0.0});
}

// Parameters are checked for non-finite values once per row (cheap next to the updates in between).
void TrainingRun::scan_parameters() {
  if (monitor_->diverged()) return;
  for (const auto& [module_name, module] : learner_->modules()) {
    for (const auto& param : module->named_parameters()) {
      if (!torch::isfinite(param.value()).all().item<bool>()) {
        monitor_->report_divergence(module_name + "." + param.key(), kNaN);
        return;
      }
    }
  }
}

// One row of metrics.csv and TensorBoard, with an evaluation every eval_interval steps and at the end.
void TrainingRun::log_row() {
  double eval_mean = kNaN, eval_std = kNaN;
  if (p_.step % eval_interval_ == 0 || p_.step == total_steps_) evaluate_now(eval_mean, eval_std);
  const auto now = Clock::now();
  const double sps = static_cast<double>(p_.step - interval_.start_step) /
                     std::max(1e-9, std::chrono::duration<double>(now - interval_.start).count());
  std::vector<double> row = {static_cast<double>(p_.step),
                             static_cast<double>(p_.episodes),
                             interval_.episodes ? interval_.return_sum / interval_.episodes : kNaN,
                             interval_.episodes ? interval_.length_sum / interval_.episodes : kNaN,
                             eval_mean,
                             eval_std};
  if (evaluates_target_actor()) row.push_back(std::isfinite(eval_mean) ? last_actor_eval_mean_ : kNaN);
  for (const auto& [name, value] : learner_->stats().take()) row.push_back(value);
  if (expert_) row.push_back(normalized_return(eval_mean));
  if (imitation_) {
    for (const auto& [name, value] : imitation_->stats().take()) row.push_back(value);
  }
  scan_parameters();
  row.push_back(static_cast<double>(monitor_->explosions()));
  row.push_back(static_cast<double>(learner_->updates()));
  row.push_back(sps);
  row.push_back(p_.wall_time_s);
  metrics_->write_row(row);
  tensorboard_->add_scalars(p_.step, columns_, row);
  interval_ = Interval{0.0, 0.0, 0, now, p_.step};
  recent_sps_ = sps;
  if (std::isfinite(eval_mean)) print_evaluation(eval_mean, eval_std, sps);
}

void TrainingRun::print_evaluation(double mean, double std, double sps) const {
  std::printf("%s%s step %lld/%lld  eval_return %.1f +- %.1f  %.0f steps/s  ETA %s\n", tty_ ? "\r\033[K" : "",
              label_.c_str(), static_cast<long long>(p_.step), static_cast<long long>(total_steps_), mean,
              std, sps, format_duration(static_cast<double>(total_steps_ - p_.step) / sps).c_str());
  std::fflush(stdout);
}

// The live line on a terminal: steps, percent, steps per second (of the last logging interval once there is
// one, so the ETA follows the current pace, not the random start's), ETA and the last evaluation.
void TrainingRun::show_progress() {
  // A population's seeds share one line, the population's (run/population_run.cpp).
  if (!tty_ || seat_ || Clock::now() - last_progress_ <= std::chrono::milliseconds(500)) return;
  last_progress_ = Clock::now();
  const double sps =
      recent_sps_ > 0
          ? recent_sps_
          : static_cast<double>(p_.step - start_step_) /
                std::max(1e-9, std::chrono::duration<double>(last_progress_ - session_start_).count());
  std::fprintf(stderr, "\r\033[K%s %s  %lld/%lld (%.0f%%)  %.0f steps/s  ETA %s  last eval %s",
               label_.c_str(), env_id_.c_str(), static_cast<long long>(p_.step),
               static_cast<long long>(total_steps_),
               100.0 * static_cast<double>(p_.step) / static_cast<double>(total_steps_), sps,
               format_duration(static_cast<double>(total_steps_ - p_.step) / sps).c_str(),
               std::isfinite(p_.last_eval_mean) ? fmt::format("{:.1f}", p_.last_eval_mean).c_str() : "-");
}

// A run that fails part-way (a full disk, an I/O error) says so in its summary, with the reason, rather than
// staying at "running"; its last checkpoint is untouched (checkpoints are written atomically) and resumes.
TrainResult TrainingRun::run() {
  write_summary("running");
  try {
    return step_to_end();
  } catch (const std::exception& e) {
    failure_ = e.what();
    try {
      write_summary("failed");
    } catch (const std::exception&) {
      // The disk that failed the run may refuse the summary too; the error itself still reaches the user.
    }
    throw;
  }
}

TrainResult TrainingRun::step_to_end() {
  install_stop_handlers();
  interval_ = Interval{0.0, 0.0, 0, Clock::now(), p_.step};
  if (resumed_episode_) {
    continue_episode(*resumed_episode_);
  } else {
    // A fresh run's first episode, or a run resumed from a checkpoint written before episodes were kept.
    env_->reset(seed_ + static_cast<std::uint64_t>(p_.step));
  }
  obs_.assign(env_->observation().begin(), env_->observation().end());
  start_step_ = p_.step;
  session_start_ = last_progress_ = Clock::now();
  wall_before_ = p_.wall_time_s;
  tty_ = progress_ && isatty(fileno(stderr));
  // An offline learner (bc) counts gradient steps; the env only evaluates.
  const bool offline = learner_->offline();
  while (p_.step < total_steps_ && !stopping()) {
    monitor_->set_step(p_.step + 1);
    if (offline) {
      const auto start = Clock::now();
      learner_->offline_update();
      time_split_.learn += seconds_between(start, Clock::now());
    } else {
      env_step();
    }
    ++p_.step;
    p_.wall_time_s = wall_before_ + std::chrono::duration<double>(Clock::now() - session_start_).count();
    if (p_.step % log_interval_ == 0 || p_.step == total_steps_) log_row();
    if (reached_target_) break;
    if (monitor_->diverged() && stop_on_divergence_) break;
    if (p_.step % checkpoint_interval_ == 0 && p_.step < total_steps_) save_checkpoint();
    show_progress();
  }
  if (tty_) std::fprintf(stderr, "\r\033[K");
  return finish();
}

TrainResult TrainingRun::finish() {
  if (monitor_->diverged() && stop_on_divergence_) {
    // The networks hold non-finite or runaway values: the last checkpoint, best_policy.pt and every row of
    // metrics.csv stay as they were, and the summary says where it went wrong.
    write_summary("diverged");
    std::printf("%s: diverged at step %lld (%s); files so far kept in %s\n", label_.c_str(),
                static_cast<long long>(monitor_->diverged_at()), monitor_->divergence_reason().c_str(),
                run_dir_.string().c_str());
    return {"diverged", 0};
  }
  save_checkpoint();
  save_policy_as("final_policy.pt");
  if (stopping()) {
    write_summary("interrupted");
    std::printf("%s: interrupted at step %lld; checkpoint saved, continue with `credo train --resume %s`\n",
                label_.c_str(), static_cast<long long>(p_.step), run_dir_.string().c_str());
    return {"interrupted", stop_signal()};
  }
  // The final evaluation is the one at the last step (same episodes), or a new one when the run resumed
  // there.
  const auto final_eval = last_eval_step_ == p_.step ? last_eval_ : evaluate_policy(eval_episodes_);
  write_summary("finished", &final_eval);
  if (reached_target_) {
    std::printf("%s: evaluation return reached stop_at_return = %g at step %lld\n", label_.c_str(),
                stop_at_return_, static_cast<long long>(p_.step));
  }
  std::printf("%s on %s: finished %lld steps in %s; final eval return %.1f +- %.1f over %d episodes\n",
              label_.c_str(), env_id_.c_str(), static_cast<long long>(p_.step),
              format_duration(p_.wall_time_s).c_str(), final_eval.mean(), final_eval.std(), eval_episodes_);
  if (collapse_->collapsed()) {
    std::printf(
        "%s: ended collapsed: its evaluation return fell below half its best at step %lld and stayed "
        "there (docs/telemetry.md)\n",
        label_.c_str(), static_cast<long long>(collapse_->fall_step()));
  }
  return {"finished", 0};
}

void TrainingRun::write_summary(const std::string& status, const rl::EvalResult* final_eval) {
  nlohmann::ordered_json s;
  s["env"] = env_id_;
  s["algo"] = algo_;
  s["seed"] = seed_;
  s["steps"] = p_.step;
  s["total_steps"] = total_steps_;
  s["status"] = status;
  if (!failure_.empty()) s["failure"] = failure_;
  s["stopped_at_return"] = reached_target_;
  s["final_eval_return_mean"] = finite_or_null(final_eval ? final_eval->mean() : kNaN);
  s["final_eval_return_std"] = finite_or_null(final_eval ? final_eval->std() : kNaN);
  s["final_eval_returns"] = final_eval ? final_eval->returns : std::vector<double>{};
  s["last_eval_return_mean"] = finite_or_null(p_.last_eval_mean);
  s["best_eval_return_mean"] = finite_or_null(p_.best_eval_mean);
  s["episodes"] = p_.episodes;
  s["updates"] = learner_->updates();
  s["wall_time_s"] = p_.wall_time_s;
  s["explosion_count"] = monitor_->explosions();
  s["first_explosion_step"] = monitor_->first_explosion_step() >= 0
                                  ? nlohmann::json(monitor_->first_explosion_step())
                                  : nlohmann::json();
  s["max_grad_norm_critic"] = finite_or_null(monitor_->max_grad_norm("grad_norm_critic"));
  s["max_grad_norm_actor"] = finite_or_null(monitor_->max_grad_norm("grad_norm_actor"));
  if (imitation_) s["max_grad_norm_disc"] = finite_or_null(monitor_->max_grad_norm("grad_norm_disc"));
  s["random_return"] = finite_or_null(random_return_);
  if (expert_) {
    s["expert_return"] = finite_or_null(expert_->expert_return);
    s["expert_transitions"] = expert_->rows();
  }
  s["collapsed"] = collapse_->collapsed();
  s["collapse_step"] = collapse_->collapsed() ? nlohmann::json(collapse_->fall_step()) : nlohmann::json();
  s["collapse_events"] = collapse_->collapses();
  if (monitor_->diverged()) {
    s["diverged_at_step"] = monitor_->diverged_at();
    s["divergence"] = monitor_->divergence_reason();
  }
  s["env_steps_per_s"] =
      finite_or_null(p_.wall_time_s > 0 ? static_cast<double>(p_.step) / p_.wall_time_s : kNaN);
  const double session = p_.wall_time_s - wall_before_;
  const auto& t = time_split_;
  s["seconds_this_session"] = {{"act", t.act},
                               {"env", t.env},
                               {"learn", t.learn},
                               {"other", std::max(0.0, session - t.act - t.env - t.learn)}};
  s["threads"] = options_.run.threads;
  s["device"] = options_.run.device;
  s["credo_version"] = CREDO_VERSION;
  write_file_atomically(run_dir_ / "summary.json", s.dump(2) + "\n");
}

// The learner's and the imitation's statistics accumulated since the last metrics row, so that a run stopped
// inside a row's interval (a signal, a lost session) writes that row as the uninterrupted run would. A
// checkpoint written before credo kept them (2026-12-05) has none: that row then averages only the updates
// after the resume.
void TrainingRun::restore_row_stats(torch::serialize::InputArchive& archive) {
  c10::IValue saved;
  if (!archive.try_read("row_stats", saved)) return;
  std::map<std::string, std::map<std::string, double>> parts;  // "learner" / "imitation" -> its state
  for (const auto& item : saved.toGenericDict()) {
    const auto& key = item.key().toStringRef();
    const auto slash = key.find('/');
    if (slash != std::string::npos)
      parts[key.substr(0, slash)][key.substr(slash + 1)] = item.value().toDouble();
  }
  learner_->stats().restore(parts["learner"]);
  if (imitation_) imitation_->stats().restore(parts["imitation"]);
}

void TrainingRun::save_checkpoint() const {
  torch::serialize::OutputArchive archive;
  nn::write_value(archive, "algo", algo_);
  nn::write_value(archive, "env", env_id_);
  nn::write_value(archive, "step", p_.step);
  nn::write_value(archive, "episodes", p_.episodes);
  nn::write_value(archive, "wall_time_s", p_.wall_time_s);
  nn::write_value(archive, "last_eval_mean", p_.last_eval_mean);
  nn::write_value(archive, "last_eval_std", p_.last_eval_std);
  nn::write_value(archive, "best_eval_mean", p_.best_eval_mean);
  torch::serialize::OutputArchive learner_archive;
  learner_->save(learner_archive);
  archive.write("learner", learner_archive);
  if (imitation_) {
    torch::serialize::OutputArchive imitation_archive;
    imitation_->save(imitation_archive);
    archive.write("imitation", imitation_archive);
  }
  if (!learner_->offline()) {
    EpisodeCheckpoint{env_->snapshot(),     episode_return_,      episode_length_,
                      interval_.return_sum, interval_.length_sum, interval_.episodes}
        .save(archive);
  }
  const auto monitor_state = monitor_->state();
  c10::Dict<std::string, double> telemetry;
  for (const auto& [key, value] : monitor_state.counters) telemetry.insert(key, value);
  nn::write_value(archive, "telemetry", telemetry);
  c10::Dict<std::string, c10::List<double>> windows;
  for (const auto& [name, values] : monitor_state.windows) windows.insert(name, c10::List<double>(values));
  nn::write_value(archive, "telemetry_windows", windows);
  c10::Dict<std::string, double> row_stats;  // the metrics row in progress, see restore_row_stats
  for (const auto& [key, value] : learner_->stats().state()) row_stats.insert("learner/" + key, value);
  if (imitation_) {
    for (const auto& [key, value] : imitation_->stats().state()) row_stats.insert("imitation/" + key, value);
  }
  nn::write_value(archive, "row_stats", row_stats);
  // Streamed to the file: a copy of the whole archive in memory would double the replay buffer's footprint.
  // LibTorch's writer is always told the piece was written (it aborts when a short write meets its
  // destructor); a failed write (a full disk) is raised once the archive is done.
  write_file_atomically_from(run_dir_ / "checkpoint.pt", [&](const PieceWriter& put) {
    archive.save_to([&](const void* data, std::size_t size) {
      put(data, size);
      return size;
    });
  });
}

void TrainingRun::save_policy_as(const char* name) const {
  const auto& spec = env_->spec();
  rl::save_policy_file(run_dir_ / name, env_id_, algo_, spec.action_space.low, spec.action_space.high,
                       [&](torch::serialize::OutputArchive& a) { learner_->save_policy(a); });
}

}  // namespace credo::run
