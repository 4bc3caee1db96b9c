#pragma once
// What each config key means, as written in the committed config files (configs/): the comment paragraph
// above a key describes it and the keys right after it, up to the next blank line or comment. A learner's
// own file (configs/learners/ALGO.toml) is read first, then configs/imitation.toml and configs/train.toml.
// `credo train --help-config` prints them beside the resolved values.
#include <map>
#include <string>

#include "credo/config/config.h"

namespace credo::config {

// Key -> meaning (one line of text) for the keys of `algo`'s configuration, plus algo, env, seed and steps.
std::map<std::string, std::string> key_meanings(const std::string& algo);

// `config` as TOML with each key's meaning as a comment above it (a file `--config` can read back), followed
// by what its value must be where `requirements` says (OptionReader::requirements()).
std::string annotated_toml(const Config& config, const std::map<std::string, std::string>& requirements = {});

}  // namespace credo::config
