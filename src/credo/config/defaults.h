#pragma once
// credo's committed default hyperparameters, compiled in from configs/ (cmake/Assets.cmake).
//
// configs/train.toml holds the run keys every learner shares (evaluation, logging, checkpoints);
// configs/learners/ALGO.toml holds a learner's defaults, then `[env.FAMILY]` tables (for example
// `[env.Hopper]`) and `[env."ID"]` tables with per-task values, applied in that order. Like a zoo of tuned
// settings.
#include <string>
#include <string_view>
#include <vector>

#include "credo/config/config.h"

namespace credo::config {

struct EmbeddedFile {
  std::string_view name;  // path relative to configs/, e.g. "learners/td3.toml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_configs();

// Algorithms with a committed configs/learners/ALGO.toml, sorted.
std::vector<std::string> known_algos();

// The defaults for `algo` on env `env_id`: train.toml, then the learner's file with its env tables. Throws
// UsageError for an unknown algo (with a suggestion). The result also holds `algo` and `env`.
Config default_config(const std::string& algo, const std::string& env_id);

}  // namespace credo::config
