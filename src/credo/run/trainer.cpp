#include "credo/run/trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "credo/core/error.h"
#include "credo/gail/imitation.h"
#include "credo/run/training_run.h"

namespace credo::run {

namespace {

// Evaluations of a run: every eval_interval steps and at the last step.
std::int64_t evaluations_of(const config::Config& c) {
  return (c.get_int("steps") + c.get_int("eval_interval") - 1) / c.get_int("eval_interval");
}

// Evaluations in a row below half the best that make a collapse (docs/telemetry.md): collapse_window, or with
// 0, kDefaultCollapseWindow capped at the run's evaluations.
constexpr std::int64_t kDefaultCollapseWindow = 3;

}  // namespace

int collapse_window_of(const config::Config& c) {
  const auto window = c.get_int("collapse_window");
  return static_cast<int>(window > 0 ? window : std::min(kDefaultCollapseWindow, evaluations_of(c)));
}

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
  // The imitation reward's keys (the clip, its adaptive form, outliers), when the config has them.
  if (c.contains("reward") && c.contains("gamma")) gail::reward_options_of(c, false);
}

TrainResult train(const config::Config& config, const std::filesystem::path& run_dir, bool resume,
                  bool progress, const demos::ExpertTransitions* expert, gail::Imitation* imitation) {
  TrainingRun run(config, run_dir, resume, progress, expert, imitation);
  return run.run();
}

}  // namespace credo::run
