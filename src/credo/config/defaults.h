#pragma once
// credo's committed default hyperparameters, compiled in from configs/ (cmake/Assets.cmake).
//
// configs/train.toml holds the run keys every learner shares (evaluation, logging, checkpoints);
// configs/imitation.toml the keys of adversarial imitation; configs/learners/ALGO.toml holds a learner's
// defaults, then `[env.FAMILY]` tables (for example `[env.Hopper]`) and `[env."ID"]` tables with per-task
// values, applied in that order. Like a zoo of tuned settings. A learner's `[imitation]` table (and its own
// `[imitation.env.FAMILY]` tables) holds settings that suit imitation only: they apply on top when the run
// imitates demonstrations, so plain RL keeps the learner's published defaults.
//
// Presets (configs/presets/NAME.toml, or a file) are named sets of keys applied on top of the defaults and
// below a --config file and key=value arguments: plain keys for every learner, `[learners.ALGO]` tables for
// one learner's own keys, `[env.FAMILY]` tables per task.
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
// The text of the embedded file `name` (e.g. "learners/td3.toml"); empty if there is none.
std::string_view embedded_config(const std::string& name);

// Algorithms with a committed configs/learners/ALGO.toml, sorted.
std::vector<std::string> known_algos();

// The defaults for `algo` on env `env_id`: train.toml, then the learner's file with its env tables. Throws
// UsageError for an unknown algo (with a suggestion). The result also holds `algo` and `env`.
Config default_config(const std::string& algo, const std::string& env_id, bool imitation = false);

// Preset names with a committed configs/presets/NAME.toml, sorted.
std::vector<std::string> known_presets();

// Applies the preset `name_or_path` (a committed name, or a path to a .toml file) to `config`, whose algo and
// env pick its tables. Throws UsageError for a missing preset, bad TOML or a key this learner does not have.
void apply_preset(Config& config, const std::string& name_or_path);

}  // namespace credo::config
