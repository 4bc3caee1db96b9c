#include "credo/rl/learner.h"

#include <fmt/format.h>

#include "credo/core/error.h"
#include "credo/rl/learners.h"

namespace credo::rl {

namespace {

// Keys whose values must be positive for every learner that has them.
void require_positive(const config::Config& c) {
  for (const auto& [key, value] : c.entries()) {
    const bool must_be_positive =
        key == "batch_size" || key == "buffer_size" || key.starts_with("lr_") || key == "updates_per_step" ||
        key == "policy_delay" || key == "n_steps" || key == "minibatch_size" || key == "lr" ||
        key == "epochs" || key == "noise_samples" || key == "evaluation_steps" || key == "improvement_steps";
    if (!must_be_positive) continue;
    const double v = c.get_double(key);
    if (!(v > 0)) throw UsageError(fmt::format("config key '{}' must be positive, got {}", key, v));
  }
  for (const char* key : {"gamma", "tau", "gae_lambda"}) {
    if (!c.contains(key)) continue;
    const double v = c.get_double(key);
    if (!(v >= 0.0 && v <= 1.0))
      throw UsageError(fmt::format("config key '{}' must be in [0, 1], got {}", key, v));
  }
  if (c.contains("hidden")) {
    for (auto h : c.get_ints("hidden")) {
      if (h <= 0) throw UsageError("config key 'hidden' must list positive layer sizes");
    }
  }
}

}  // namespace

void Learner::save(torch::serialize::OutputArchive& archive) {
  nn::StateTable state;
  state.integer("updates", updates_);
  describe_state(state);
  state.save(archive);
}

void Learner::load(torch::serialize::InputArchive& archive) {
  nn::StateTable state;
  state.integer("updates", updates_);
  describe_state(state);
  state.load(archive);
  after_load();
}

std::vector<std::pair<std::string, torch::nn::Module*>> Learner::modules() {
  nn::StateTable state;
  describe_state(state);
  return state.modules();
}

std::unique_ptr<Learner> make_learner(const LearnerContext& context) {
  require_positive(context.config);
  const std::string& algo = context.config.get_string("algo");
  if (algo == "td3" || algo == "ddpg") return make_td3(context);
  if (algo == "sac") return make_sac(context);
  if (algo == "sd3") return make_sd3(context);
  if (algo == "tssg") return make_tssg(context);
  if (algo == "ppo") return make_ppo(context);
  if (algo == "bc") return make_bc(context);
  throw UsageError(fmt::format("unknown algo '{}'", algo));
}

}  // namespace credo::rl
