#pragma once
// One session of a training run (run/trainer.h describes the run folder): set up or restored from the
// checkpoint, stepped to its budget, and closed with its summary. Each piece of the loop is a small named
// step: an env step, a logging row (with an evaluation every eval_interval), a checkpoint, the live progress
// line.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "credo/config/config.h"
#include "credo/core/stop_signal.h"
#include "credo/envs/env.h"
#include "credo/rl/evaluation.h"
#include "credo/rl/learner.h"
#include "credo/run/episode_checkpoint.h"
#include "credo/run/run_options.h"
#include "credo/run/trainer.h"
#include "credo/telemetry/collapse_detector.h"
#include "credo/telemetry/explosion_monitor.h"
#include "credo/telemetry/metrics_writer.h"
#include "credo/telemetry/tensorboard_writer.h"

namespace credo::run {

// A run's place in a seed population (run/population_run.h): the seed's learner, which the population
// updates, and the population's step: every seed's run calls stepped() after each env step it observed, and
// stops when the population says so (so every seed stops at the same step).
class PopulationSeat {
 public:
  virtual ~PopulationSeat() = default;
  virtual rl::Learner& learner() = 0;
  virtual void stepped() = 0;
  virtual bool stopping() const = 0;
};

class TrainingRun {
 public:
  // With a `seat`, the run trains its seed of a population with the population's learner for that seed.
  TrainingRun(const config::Config& config, std::filesystem::path run_dir, bool resume, bool progress,
              const demos::ExpertTransitions* expert, gail::Imitation* imitation,
              PopulationSeat* seat = nullptr);
  TrainResult run();
  std::int64_t step() const { return p_.step; }

 private:
  using Clock = std::chrono::steady_clock;
  // Everything about the run's progress that a checkpoint keeps besides the learner.
  struct Progress {
    std::int64_t step = 0;
    std::int64_t episodes = 0;
    double wall_time_s = 0.0;  // training time of all sessions of this run
    double last_eval_mean = std::numeric_limits<double>::quiet_NaN();
    double last_eval_std = std::numeric_limits<double>::quiet_NaN();
    double best_eval_mean = std::numeric_limits<double>::quiet_NaN();
  };
  // Episodes and timing since the last logging row.
  struct Interval {
    double return_sum = 0.0, length_sum = 0.0;
    int episodes = 0;
    Clock::time_point start;
    std::int64_t start_step = 0;
  };

  // Set-up.
  telemetry::ExplosionMonitor::State restore_checkpoint();
  void restore_row_stats(torch::serialize::InputArchive& archive);
  std::vector<std::string> metric_columns() const;
  void open_telemetry(const telemetry::ExplosionMonitor::State& monitor_state);
  void measure_random_policy();
  // The loop.
  void env_step();
  void continue_episode(const EpisodeCheckpoint& e);
  void log_row();
  void evaluate_now(double& mean, double& std);
  void evaluate_online_actor();
  bool stopping() const { return seat_ ? seat_->stopping() : stop_requested(); }
  bool evaluates_target_actor() const { return learner_->eval_actor() == rl::Learner::EvalActor::kTarget; }
  void observe_collapse(double eval_mean);
  void scan_parameters();
  void print_evaluation(double mean, double std, double sps) const;
  void show_progress();
  TrainResult step_to_end();
  // Outputs.
  void write_summary(const std::string& status, const rl::EvalResult* final_eval = nullptr);
  void save_checkpoint() const;
  void save_policy_as(const char* name) const;
  TrainResult finish();
  rl::EvalResult evaluate_policy(int episodes);
  double normalized_return(double r) const;

  const config::Config& config_;
  const TrainingOptions options_;
  const std::filesystem::path run_dir_;
  const bool resume_, progress_;
  const demos::ExpertTransitions* expert_;
  gail::Imitation* imitation_;
  const std::string env_id_, algo_;
  const bool stop_on_divergence_;
  const std::uint64_t seed_, eval_seed_;
  const std::int64_t total_steps_, log_interval_, eval_interval_, checkpoint_interval_;
  const int eval_episodes_;
  const double stop_at_return_;

  std::unique_ptr<envs::Env> env_, eval_env_;
  PopulationSeat* seat_;
  std::unique_ptr<rl::Learner> own_learner_;  // a run's own; a population's seed uses the seat's
  rl::Learner* learner_;
  const std::string label_;  // what the run's lines start with: the algo, and the seed in a population
  Progress p_;
  std::optional<telemetry::MetricsWriter> metrics_;
  std::optional<telemetry::TensorBoardWriter> tensorboard_;
  std::optional<telemetry::ExplosionMonitor> monitor_;
  std::optional<telemetry::CollapseDetector> collapse_;
  std::vector<std::string> columns_;
  double random_return_;
  std::string failure_;  // why the run failed (a write that failed, an internal error), for the summary

  std::optional<EpisodeCheckpoint> resumed_episode_;  // the episode a resumed run continues
  std::vector<double> obs_;
  std::vector<float> normalized_, env_action_;
  double episode_return_ = 0.0;
  int episode_length_ = 0;
  Interval interval_;
  bool reached_target_ = false, tty_ = false;
  std::int64_t start_step_ = 0, last_eval_step_ = -1;
  rl::EvalResult last_eval_;
  double last_actor_eval_mean_ = 0.0;
  Clock::time_point session_start_, last_progress_;
  double wall_before_ = 0.0, recent_sps_ = 0.0;
  // Where this session's time went (summary.json "seconds_this_session"): acting, stepping the env, and the
  // learner's and the imitation's updates; the rest is logging, evaluation and checkpoints.
  struct TimeSplit {
    double act = 0.0, env = 0.0, learn = 0.0;
  } time_split_;
};

}  // namespace credo::run
