#pragma once
// The options of one training run: the run's own keys (configs/train.toml, with env, algo, seed and steps),
// the learner's, the explosion monitor's and the imitation's, each read once by its component's options
// struct. Reading them is the run's validation: `credo train` and `credo sweep` read them before anything is
// written, so a bad value is one line and no run folder.
#include <cstdint>
#include <string>

#include "credo/config/option_reader.h"
#include "credo/gail/imitation_options.h"
#include "credo/rl/learner_options.h"
#include "credo/telemetry/explosion_monitor.h"

namespace credo::run {

struct RunOptions {
  std::string env;
  std::uint64_t seed = 0;
  std::int64_t steps = 0, eval_interval = 0, eval_episodes = 0, log_interval = 0, checkpoint_interval = 0;
  int threads = 1;
  std::string device = "cpu";  // spelled as a device; nn::select_device() checks the machine has it
  // Evaluations in a row below half the best that make a return collapse (docs/telemetry.md); config 0 is
  // resolved here to the default window, 3 capped at the run's evaluations.
  int collapse_window = 0;
  double stop_at_return = 0;
  bool stop_on_divergence = true;  // on_divergence = "stop" or "continue"
  std::string demos;               // "" when the run does not imitate
  // Which demonstrations (demos/expert_transitions.h checks their ranges against the file).
  std::int64_t demo_episodes = 0, demo_subsample = 1;

  // Evaluations of the run: every eval_interval steps and at the last step.
  std::int64_t evaluations() const { return (steps + eval_interval - 1) / eval_interval; }

  static RunOptions read(const config::OptionReader& r);
};

struct TrainingOptions {
  RunOptions run;
  rl::LearnerOptions learner;
  telemetry::ExplosionOptions explosion;
  gail::ImitationOptions
      imitation;  // read (and checked) on every run, so a sweep rejects it before it starts

  static TrainingOptions read(const config::OptionReader& r);
  static TrainingOptions read(const config::Config& config) { return read(config::OptionReader(config)); }
};

}  // namespace credo::run
