#include "credo/run/run_options.h"

#include <fmt/format.h>

#include <algorithm>

#include "credo/nn/device.h"

namespace credo::run {

namespace {

constexpr std::int64_t kDefaultCollapseWindow = 3;

}  // namespace

RunOptions RunOptions::read(const config::OptionReader& r) {
  RunOptions o;
  o.env = r.text("env");
  o.seed = static_cast<std::uint64_t>(r.at_least_zero("seed"));
  o.steps = r.positive_integer("steps");
  o.eval_interval = r.positive_integer("eval_interval");
  o.eval_episodes = r.positive_integer("eval_episodes");
  o.log_interval = r.positive_integer("log_interval");
  if (o.eval_interval % o.log_interval != 0) {
    r.reject("eval_interval", fmt::format("a multiple of log_interval ({})", o.log_interval));
  }
  o.checkpoint_interval = r.positive_integer("checkpoint_interval");
  o.threads = static_cast<int>(r.positive_integer("threads"));
  o.device = r.text("device");
  if (!nn::is_device_name(o.device)) r.reject("device", nn::kDeviceNames);
  const auto window =
      r.integer("collapse_window", nullptr, "0 (the default window) or 1 to the run's evaluations");
  if (window < 0 || window > o.evaluations()) {
    r.reject("collapse_window", fmt::format("0 (the default window) or 1 to the run's {} evaluations "
                                            "(steps / eval_interval)",
                                            o.evaluations()));
  }
  o.collapse_window =
      static_cast<int>(window > 0 ? window : std::min(kDefaultCollapseWindow, o.evaluations()));
  o.stop_at_return = r.number("stop_at_return");
  o.stop_on_divergence = r.choice("on_divergence", {"stop", "continue"}) == "stop";
  o.demos = r.text("demos");
  o.demo_episodes = r.integer("demo_episodes", nullptr, ">= 0 (0: all episodes)");
  o.demo_subsample = r.integer("demo_subsample", nullptr, ">= 1, at most the shortest selected episode");
  return o;
}

TrainingOptions TrainingOptions::read(const config::OptionReader& r) {
  TrainingOptions o;
  o.run = RunOptions::read(r);
  o.learner = rl::LearnerOptions::read(r);
  o.explosion = telemetry::ExplosionOptions::read(r);
  o.imitation = gail::ImitationOptions::read(r, o.learner.discount());
  return o;
}

}  // namespace credo::run
